//! Five-field cron expressions (spec 5.6), evaluated in **UTC** (the reference uses the host's
//! local time zone; its vectors were made with `TZ=UTC`, so they agree).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use serde_json::{Map, Value};

use crate::ErrorCode;
use crate::host::HostError;
use crate::js;

/// How far `next` looks: the reference's 5 × 366 days, minute by minute.
const SEARCH_MINUTES: i64 = 60 * 24 * 366 * 5;

const MONTHS: &[(&str, u32)] = &[
    ("JAN", 1),
    ("FEB", 2),
    ("MAR", 3),
    ("APR", 4),
    ("MAY", 5),
    ("JUN", 6),
    ("JUL", 7),
    ("AUG", 8),
    ("SEP", 9),
    ("OCT", 10),
    ("NOV", 11),
    ("DEC", 12),
];
const WEEKDAYS: &[(&str, u32)] = &[
    ("SUN", 0),
    ("MON", 1),
    ("TUE", 2),
    ("WED", 3),
    ("THU", 4),
    ("FRI", 5),
    ("SAT", 6),
];

/// One parsed field: its text, the sorted values it allows, and whether it covers its domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronField {
    pub source: String,
    pub values: Vec<u32>,
    pub has_wildcard: bool,
}

impl CronField {
    fn allows(&self, value: u32) -> bool {
        self.values.binary_search(&value).is_ok()
    }

    fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("source".into(), Value::from(self.source.clone()));
        object.insert("values".into(), Value::from(self.values.clone()));
        object.insert("hasWildcard".into(), Value::from(self.has_wildcard));
        Value::Object(object)
    }
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronSchedule {
    pub expression: String,
    pub minute: CronField,
    pub hour: CronField,
    pub day_of_month: CronField,
    pub month: CronField,
    pub day_of_week: CronField,
}

fn cron_error(message: String) -> HostError {
    HostError::new(ErrorCode::HostInvalidParams, "Error", message)
}

impl CronSchedule {
    /// Parses `minute hour day-of-month month day-of-week`.
    pub fn parse(expression: &str) -> Result<CronSchedule, HostError> {
        let normalized = js::js_trim(expression);
        if normalized.is_empty() {
            return Err(cron_error("Cron expression is required.".into()));
        }
        let fields: Vec<&str> = normalized.split_whitespace().collect();
        let [minute, hour, day_of_month, month, day_of_week] = fields[..] else {
            return Err(cron_error(
                "Cron expression must contain exactly 5 fields: minute hour day-of-month month day-of-week."
                    .into(),
            ));
        };
        Ok(CronSchedule {
            expression: normalized.to_owned(),
            minute: field("minute", minute, 0, 59, &[], false)?,
            hour: field("hour", hour, 0, 23, &[], false)?,
            day_of_month: field("day-of-month", day_of_month, 1, 31, &[], false)?,
            month: field("month", month, 1, 12, MONTHS, false)?,
            day_of_week: field("day-of-week", day_of_week, 0, 7, WEEKDAYS, true)?,
        })
    }

    /// The reference's parse result object.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("expression".into(), Value::from(self.expression.clone()));
        object.insert("minute".into(), self.minute.to_json());
        object.insert("hour".into(), self.hour.to_json());
        object.insert("dayOfMonth".into(), self.day_of_month.to_json());
        object.insert("month".into(), self.month.to_json());
        object.insert("dayOfWeek".into(), self.day_of_week.to_json());
        Value::Object(object)
    }

    fn day_matches(&self, date: &DateTime<Utc>) -> bool {
        if !self.month.allows(date.month()) {
            return false;
        }
        let by_month_day = self.day_of_month.allows(date.day());
        let by_weekday = self
            .day_of_week
            .allows(date.weekday().num_days_from_sunday());
        match (
            self.day_of_month.has_wildcard,
            self.day_of_week.has_wildcard,
        ) {
            // Both restricted: Vixie cron's OR rule.
            (false, false) => by_month_day || by_weekday,
            (false, true) => by_month_day,
            (true, false) => by_weekday,
            (true, true) => true,
        }
    }

    /// True when the minute containing `date` (UTC) matches.
    pub fn matches(&self, date: &DateTime<Utc>) -> bool {
        self.minute.allows(date.minute()) && self.hour.allows(date.hour()) && self.day_matches(date)
    }

    /// The first matching minute after `from` (from the next whole minute on), within 5 × 366
    /// days. Whole non-matching days and hours are skipped, which gives the same answer as the
    /// reference's minute-by-minute scan.
    pub fn next(&self, from: &DateTime<Utc>) -> Result<DateTime<Utc>, HostError> {
        let start = truncate_to_minute(from) + Duration::minutes(1);
        let end = start + Duration::minutes(SEARCH_MINUTES);
        let mut cursor = start;
        while cursor < end {
            if !self.day_matches(&cursor) {
                cursor = start_of_next_day(&cursor);
            } else if !self.hour.allows(cursor.hour()) {
                cursor = truncate_to_minute(&cursor)
                    - Duration::minutes(i64::from(cursor.minute()))
                    + Duration::hours(1);
            } else if self.minute.allows(cursor.minute()) {
                return Ok(cursor);
            } else {
                cursor += Duration::minutes(1);
            }
        }
        Err(HostError::new(
            ErrorCode::HostScheduleNoOccurrence,
            "Error",
            format!(
                "No cron occurrence found for \"{}\" within the next 5 years.",
                self.expression
            ),
        ))
    }
}

fn truncate_to_minute(date: &DateTime<Utc>) -> DateTime<Utc> {
    let seconds = date.timestamp().div_euclid(60) * 60;
    Utc.timestamp_opt(seconds, 0).single().unwrap_or(*date)
}

fn start_of_next_day(date: &DateTime<Utc>) -> DateTime<Utc> {
    let seconds = (date.timestamp().div_euclid(86_400) + 1) * 86_400;
    Utc.timestamp_opt(seconds, 0).single().unwrap_or(*date)
}

fn field(
    label: &str,
    source: &str,
    min: u32,
    max: u32,
    aliases: &[(&str, u32)],
    fold_seven: bool,
) -> Result<CronField, HostError> {
    let mut values = std::collections::BTreeSet::new();
    for part in source.split(',') {
        for value in expand_part(part, label, min, max, aliases)? {
            values.insert(if fold_seven && value == 7 { 0 } else { value });
        }
    }
    let domain = if fold_seven {
        7
    } else {
        (max - min + 1) as usize
    };
    Ok(CronField {
        source: js::js_trim(source).to_owned(),
        has_wildcard: values.len() == domain,
        values: values.into_iter().collect(),
    })
}

fn expand_part(
    part: &str,
    label: &str,
    min: u32,
    max: u32,
    aliases: &[(&str, u32)],
) -> Result<Vec<u32>, HostError> {
    let trimmed = js::js_trim(part);
    if trimmed.is_empty() {
        return Err(cron_error(format!("{label} contains an empty list entry.")));
    }
    let mut pieces = trimmed.split('/');
    let range_spec = pieces.next().unwrap_or("");
    let step_spec = pieces.next();
    if pieces.next().is_some() {
        return Err(cron_error(format!(
            "{label} contains too many \"/\" step delimiters."
        )));
    }
    let step = match step_spec {
        None => 1,
        Some(spec) => {
            let step = js::string_to_number(spec);
            if !step.is_finite() || step.fract() != 0.0 || step <= 0.0 {
                return Err(cron_error(format!("{label} must be a positive integer.")));
            }
            // Any step beyond the domain yields just the start value.
            step.min(f64::from(max) + 1.0) as u32
        }
    };
    let (start, end) = if range_spec == "*" {
        (min, max)
    } else {
        let mut bounds = range_spec.split('-');
        let start_spec = bounds.next().unwrap_or("");
        let end_spec = bounds.next();
        if bounds.next().is_some() {
            return Err(cron_error(format!(
                "{label} contains too many \"-\" range delimiters."
            )));
        }
        let start = field_value(start_spec, label, min, max, aliases)?;
        let end = match end_spec {
            None => start,
            Some(spec) => field_value(spec, label, min, max, aliases)?,
        };
        if end < start {
            return Err(cron_error(format!(
                "{label} range \"{range_spec}\" is reversed."
            )));
        }
        (start, end)
    };
    Ok((start..=end).step_by(step as usize).collect())
}

fn field_value(
    text: &str,
    label: &str,
    min: u32,
    max: u32,
    aliases: &[(&str, u32)],
) -> Result<u32, HostError> {
    let normalized = js::js_trim(text).to_uppercase();
    if normalized.is_empty() {
        return Err(cron_error(format!("{label} contains an empty value.")));
    }
    let parsed = if normalized.bytes().all(|b| b.is_ascii_digit()) {
        // Long digit strings saturate and then fail the range check below.
        Some(normalized.parse::<u64>().unwrap_or(u64::MAX))
    } else {
        aliases
            .iter()
            .find(|(name, _)| *name == normalized)
            .map(|(_, value)| u64::from(*value))
    };
    match parsed {
        Some(value) if value >= u64::from(min) && value <= u64::from(max) => Ok(value as u32),
        _ => Err(cron_error(format!(
            "{label} value \"{text}\" must be between {min} and {max}."
        ))),
    }
}

/// A cron expression parameter: a string, or a parsed schedule object (its `expression` is
/// parsed again rather than trusting its value lists).
pub fn schedule_param(value: Option<&Value>) -> Result<CronSchedule, HostError> {
    let text = match value {
        Some(Value::Object(object)) if object.get("expression").is_some_and(Value::is_string) => {
            object
                .get("expression")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        }
        Some(other) if !other.is_null() => js::to_js_string(other),
        _ => String::new(),
    };
    CronSchedule::parse(&text)
}

/// A date parameter as `new Date(x)` reads it, in UTC: missing or null is now; a number is ms
/// since the epoch; a string is RFC 3339, or `YYYY-MM-DD[THH:MM[:SS[.fff]]]` read as **UTC**
/// (JavaScript reads a date-time without zone as local time).
pub fn date_param(value: Option<&Value>, label: &str) -> Result<DateTime<Utc>, HostError> {
    let invalid = || HostError::invalid_params(format!("{label} must be a valid date."));
    match value {
        None | Some(Value::Null) => Ok(Utc::now()),
        Some(Value::Number(_) | Value::Bool(_)) => {
            let ms = js::to_number(value.unwrap_or(&Value::Null));
            if !ms.is_finite() || ms.abs() > 8.64e15 {
                return Err(invalid());
            }
            Utc.timestamp_millis_opt(ms.trunc() as i64)
                .single()
                .ok_or_else(invalid)
        }
        Some(Value::String(text)) => parse_date_text(js::js_trim(text)).ok_or_else(invalid),
        Some(_) => Err(invalid()),
    }
}

fn parse_date_text(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Utc.from_utc_datetime(&naive));
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|naive| Utc.from_utc_datetime(&naive))
}

/// `Date.prototype.toISOString()`: milliseconds and `Z`, extended years outside 0000-9999.
pub fn iso_string(date: &DateTime<Utc>) -> String {
    let year = date.year();
    let rest = date.format("-%m-%dT%H:%M:%S%.3fZ");
    if (0..=9999).contains(&year) {
        format!("{year:04}{rest}")
    } else {
        let sign = if year < 0 { '-' } else { '+' };
        format!("{sign}{:06}{rest}", year.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(text: &str) -> DateTime<Utc> {
        date_param(Some(&json!(text)), "d").unwrap()
    }

    #[test]
    fn parse_matches_and_next_follow_the_vectors() {
        let business = CronSchedule::parse("*/15 9-17 * * MON-FRI").unwrap();
        assert!(business.matches(&at("2026-03-16T09:15:00Z")));
        assert!(!business.matches(&at("2026-03-15T09:15:00Z")));
        let yearly = CronSchedule::parse("0 0 1 1 *").unwrap();
        assert_eq!(
            iso_string(&yearly.next(&at("2026-03-16T09:15:00Z")).unwrap()),
            "2027-01-01T00:00:00.000Z"
        );
        let sunday = CronSchedule::parse("0 12 * JAN,FEB 7").unwrap();
        assert_eq!(sunday.day_of_week.values, vec![0]);
        assert!(sunday.day_of_month.has_wildcard);
        assert_eq!(sunday.month.values, vec![1, 2]);
    }

    #[test]
    fn next_equals_a_minute_scan() {
        let from = at("2026-02-27T23:58:30Z");
        for expression in ["*/7 3,23 29 2 *", "5 * * * 1", "0 0 31 * 5", "59 23 * * *"] {
            let schedule = CronSchedule::parse(expression).unwrap();
            let found = schedule.next(&from).unwrap();
            let mut scan = truncate_to_minute(&from) + Duration::minutes(1);
            while !schedule.matches(&scan) {
                scan += Duration::minutes(1);
            }
            assert_eq!(found, scan, "{expression}");
        }
        let never = CronSchedule::parse("0 0 31 2 *").unwrap();
        assert_eq!(
            never.next(&from).unwrap_err().code,
            ErrorCode::HostScheduleNoOccurrence
        );
    }

    #[test]
    fn malformed_fields_are_errors() {
        for bad in [
            "* * *",
            "60 * * * *",
            "5-1 * * * *",
            "1,,2 * * * *",
            "*/0 * * * *",
            "1/2/3 * * * *",
            "1-2-3 * * * *",
            "* * * FOO *",
            "",
        ] {
            assert!(CronSchedule::parse(bad).is_err(), "{bad}");
        }
        assert!(date_param(Some(&json!("not a date")), "d").is_err());
        assert_eq!(
            iso_string(&date_param(Some(&json!(0)), "d").unwrap()),
            "1970-01-01T00:00:00.000Z"
        );
    }
}
