//! `schedule.*`: cron expressions in UTC (see [`crate::host::cron`]).

use serde_json::Value;

use crate::host::HostError;
use crate::host::cron::{date_param, iso_string, schedule_param};
use crate::host::params::Params;

pub(super) fn parse(params: Params) -> Result<Value, HostError> {
    Ok(schedule_param(params.raw("expression"))?.to_json())
}

pub(super) fn matches(params: Params) -> Result<Value, HostError> {
    let schedule = schedule_param(params.raw("expression"))?;
    let date = date_param(params.raw("date"), "Cron candidate date")?;
    Ok(Value::from(schedule.matches(&date)))
}

pub(super) fn next(params: Params) -> Result<Value, HostError> {
    let schedule = schedule_param(params.raw("expression"))?;
    let from = date_param(params.raw("from"), "Cron start date")?;
    Ok(Value::from(iso_string(&schedule.next(&from)?)))
}
