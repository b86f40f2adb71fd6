//! What an unusable configuration value is: the variable, its value, and why.
use std::fmt;

/// A configuration variable with an unusable value.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid configuration: {}={:?}: {}",
            self.variable, self.value, self.reason
        )
    }
}

impl std::error::Error for ConfigError {}
