//! `conformance DIR`: runs a vectors directory and prints one line per failing case.

use std::path::PathBuf;

use space_data_module::{Error, conformance};

use crate::output::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// A layout directory (e.g. vectors/differential/manifest) or a directory of them.
    pub dir: PathBuf,
    /// Also print one line per passing case.
    #[arg(long)]
    pub verbose: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let summary = conformance::run_dir(&args.dir)?;
    for outcome in &summary.outcomes {
        match &outcome.failure {
            Some(failure) => println!("FAIL {}/{}: {failure}", outcome.layout, outcome.case),
            None if args.verbose => println!("ok   {}/{}", outcome.layout, outcome.case),
            None => {}
        }
    }
    println!(
        "conformance: {} passed, {} failed",
        summary.passed(),
        summary.failed()
    );
    Ok(if summary.failed() == 0 {
        Outcome::Ok
    } else {
        Outcome::CheckFailed
    })
}
