//! `zhclean convert`: Traditional ⇄ Simplified conversion alone, a drop-in for
//! `opencc -c CONFIG`. Reads and writes like `clean` (standard input, files, trees, archives,
//! atomic outputs, a report) but changes nothing except the script.

use super::clean::write_results;
use super::{error, EXIT_ERROR};
use crate::cli::{ConvertArgs, PipelineArgs};
use crate::convert::{ConvertOptions, Converter};
use crate::rules::RuleSet;

pub fn run(mut args: ConvertArgs) -> u8 {
    if let Some(file) = args.input_file.take() {
        args.input.inputs.insert(0, file);
    }
    let mut settings = match super::settings(&args.input, &PipelineArgs::default()) {
        Ok(settings) => settings,
        Err(message) => {
            error(message);
            return EXIT_ERROR;
        }
    };
    settings.options.rules = RuleSet::none();
    settings.convert_only = Some(Converter::new(
        args.config,
        ConvertOptions {
            rare_chars: args.rare_chars,
        },
    ));
    write_results(&args.input, &args.write, &settings)
}
