//! ECMAScript `Date.prototype.toISOString` for millisecond timestamps (`YYYY-MM-DDTHH:mm:ss.sssZ`).

use crate::{Error, ErrorCode, Result};

/// Largest |ms| a JavaScript `Date` accepts (±8.64e15).
const MAX_DATE_MS: i64 = 8_640_000_000_000_000;

/// Formats `ms` since the Unix epoch as `YYYY-MM-DDTHH:mm:ss.sssZ` (years outside 0..=9999 use
/// the extended `±YYYYYY` form, as JavaScript does).
pub fn iso_timestamp(ms: i64) -> Result<String> {
    if !(-MAX_DATE_MS..=MAX_DATE_MS).contains(&ms) {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "timestamp is outside the JavaScript Date range",
        ));
    }
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    let year_text = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else if year < 0 {
        format!("-{:06}", -year)
    } else {
        format!("+{year:06}")
    };
    Ok(format!(
        "{year_text}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z"
    ))
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_javascript() {
        assert_eq!(iso_timestamp(0).unwrap(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso_timestamp(1_767_225_600_000).unwrap(),
            "2026-01-01T00:00:00.000Z"
        );
        assert_eq!(
            iso_timestamp(951_782_400_123).unwrap(),
            "2000-02-29T00:00:00.123Z"
        );
        assert_eq!(iso_timestamp(-1).unwrap(), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            iso_timestamp(253_402_300_800_000).unwrap(),
            "+010000-01-01T00:00:00.000Z"
        );
    }
}
