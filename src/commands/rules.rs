//! `zhclean rules`: every rule, its stage, whether it is on by default, and what it does.

use std::io::Write;

use zhclean::rules::{Rule, Stage};
use zhclean::sink::is_broken_pipe;

use super::{Error, Exit};

/// One line of `zhclean rules --json`.
#[derive(serde::Serialize)]
struct Listing {
    name: &'static str,
    stage: Stage,
    default_on: bool,
    summary: &'static str,
}

impl From<Rule> for Listing {
    fn from(rule: Rule) -> Self {
        Listing {
            name: rule.name(),
            stage: rule.stage(),
            default_on: rule.default_on(),
            summary: rule.summary(),
        }
    }
}

/// The rule list, as a table or (`json`) one JSON object per rule.
pub(crate) fn list(json: bool) -> Result<Exit, Error> {
    let mut out = std::io::stdout().lock();
    let result = if json {
        Rule::ALL.into_iter().try_for_each(|rule| {
            writeln!(
                out,
                "{}",
                serde_json::to_string(&Listing::from(rule)).expect("rules serialize")
            )
        })
    } else {
        let width = Rule::ALL
            .iter()
            .map(|rule| rule.name().len())
            .max()
            .unwrap_or(0);
        writeln!(
            out,
            "{:width$}  {:9}  {:3}  WHAT IT DOES",
            "RULE", "STAGE", "ON"
        )
        .and_then(|()| {
            Rule::ALL.into_iter().try_for_each(|rule| {
                let on = if rule.default_on() { "yes" } else { "no" };
                writeln!(
                    out,
                    "{:width$}  {:9}  {:3}  {}",
                    rule.name(),
                    rule.stage().to_string(),
                    on,
                    rule.summary()
                )
            })
        })
    };
    match result {
        Err(e) if !is_broken_pipe(&e) => Err(Error::Stdout(e)),
        _ => Ok(Exit::Success),
    }
}
