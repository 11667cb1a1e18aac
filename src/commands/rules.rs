//! `zhclean rules`: every rule, its stage, whether it is on by default, and what it does.

use std::io::Write;

use zhclean::rules::RULES;
use zhclean::sink::is_broken_pipe;

use super::{Error, Exit};

/// The rule list, as a table or (`json`) one JSON object per rule.
pub(crate) fn list(json: bool) -> Result<Exit, Error> {
    let mut out = std::io::stdout().lock();
    let result = if json {
        RULES.iter().try_for_each(|rule| {
            writeln!(
                out,
                "{}",
                serde_json::to_string(rule).expect("rules serialize")
            )
        })
    } else {
        let width = RULES.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
        writeln!(
            out,
            "{:width$}  {:9}  {:3}  WHAT IT DOES",
            "RULE", "STAGE", "ON"
        )
        .and_then(|()| {
            RULES.iter().try_for_each(|rule| {
                let on = if rule.default_on { "yes" } else { "no" };
                writeln!(
                    out,
                    "{:width$}  {:9}  {:3}  {}",
                    rule.name,
                    rule.stage.to_string(),
                    on,
                    rule.summary
                )
            })
        })
    };
    match result {
        Err(e) if !is_broken_pipe(&e) => Err(Error::Stdout(e)),
        _ => Ok(Exit::Success),
    }
}
