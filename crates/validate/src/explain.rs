//! What each [`Message`] means and how to fix what it reports, in a few sentences of newswire's
//! own (the W3C service's documentation pages are the model): `newswire validate --explain
//! NAME` prints them, and the SARIF report carries them as each rule's help.
//!
//! The texts live in `explanations.md`, one `## Name` section per message, so that adding a
//! message means adding a section there; a test checks that every message has one and that
//! every section names a message.

use crate::Message;

/// Every explanation, as `## Name` sections.
const EXPLANATIONS: &str = include_str!("explanations.md");

impl Message {
    /// What the message means and how to fix what it reports, as paragraphs of plain text
    /// (`None` only for a message whose section is missing, which a test rules out).
    pub fn explanation(self) -> Option<&'static str> {
        sections()
            .find(|(name, _)| *name == self.name())
            .map(|(_, text)| text)
    }
}

/// The `## Name` sections of [`EXPLANATIONS`]: each name and its text, trimmed.
fn sections() -> impl Iterator<Item = (&'static str, &'static str)> {
    EXPLANATIONS
        .split("\n## ")
        .skip(1)
        .filter_map(|section| section.split_once('\n'))
        .map(|(name, text)| (name.trim(), text.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_an_explanation_and_every_explanation_a_message() {
        let missing: Vec<&str> = Message::ALL
            .iter()
            .filter(|m| m.explanation().is_none_or(str::is_empty))
            .map(|m| m.name())
            .collect();
        assert!(
            missing.is_empty(),
            "no explanation in explanations.md for {missing:?}"
        );
        let unknown: Vec<&str> = sections()
            .map(|(name, _)| name)
            .filter(|name| Message::from_name(name).is_none())
            .collect();
        assert!(
            unknown.is_empty(),
            "explanations of no message: {unknown:?}"
        );
        let mut names: Vec<&str> = sections().map(|(name, _)| name).collect();
        names.sort_unstable();
        let all = names.len();
        names.dedup();
        assert_eq!(names.len(), all, "a message explained twice");
    }
}
