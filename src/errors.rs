//! Why a command did not do what was asked, and the one mapping of that to
//! an exit code: 1 for content the policy refused, 2 for anything about the
//! machine or the command line. Every stage returns these; `main.rs` prints
//! them and exits with [`BuildError::exit_code`].

use std::fmt;

use crate::diagnostics::Diagnostic;

/// Why a build (or report, approve, init, serve) did not finish. Two kinds
/// only, one per exit code: a new kind of trouble is a new [`Trouble`].
#[derive(Debug)]
pub enum BuildError {
    /// Content was refused; every problem found. Exit code 1.
    Refused(Vec<Diagnostic>),
    /// The machine or the command line is at fault. Exit code 2.
    Environment(EnvironmentError),
}

/// What kind of trouble outside the content stopped a command, so callers
/// (and tests) can tell a busy site from a full disk without reading prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Trouble {
    /// No site where one was expected: no folder, no `site.yaml`, no
    /// `content/`.
    NotASite,
    /// The command asks for something that cannot be done as asked: an
    /// article that does not exist, a site folder that is not empty.
    Usage,
    /// The output would replace or hold files Pamphlet did not write, or
    /// would overwrite the site's own sources.
    UnsafeOutput,
    /// Another Pamphlet is publishing to the same place right now.
    Busy,
    /// The file system refused: permissions, a full disk, a link in the way.
    FileSystem,
    /// The preview could not listen, watch or start a thread.
    Server,
}

/// Trouble outside the content, with what to do about it in plain words.
#[derive(Debug)]
pub struct EnvironmentError {
    /// What kind of trouble it is, for callers that act on the kind.
    pub trouble: Trouble,
    message: String,
}

impl EnvironmentError {
    /// What went wrong and what to do, in plain words.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl BuildError {
    /// Trouble outside the content.
    pub fn environment(trouble: Trouble, message: impl Into<String>) -> Self {
        BuildError::Environment(EnvironmentError {
            trouble,
            message: message.into(),
        })
    }

    /// The one mapping to exit codes: 1 for refused content, 2 for a usage
    /// or environment error.
    pub fn exit_code(&self) -> u8 {
        match self {
            BuildError::Refused(_) => 1,
            BuildError::Environment(_) => 2,
        }
    }

    /// What kind of trouble outside the content this is, if it is.
    pub fn trouble(&self) -> Option<Trouble> {
        match self {
            BuildError::Environment(error) => Some(error.trouble),
            BuildError::Refused(_) => None,
        }
    }
}

impl fmt::Display for EnvironmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EnvironmentError {}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Refused(problems) => {
                let errors = problems.iter().filter(|d| d.is_error()).count();
                write!(
                    f,
                    "refused: {errors} error(s), {} warning(s)",
                    problems.len() - errors
                )
            }
            BuildError::Environment(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Environment(error) => Some(error),
            BuildError::Refused(_) => None,
        }
    }
}
