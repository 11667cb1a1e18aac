use super::{DocumentError, Notes};
pub(crate) fn extract(_bytes: &[u8], _notes: Notes) -> Result<String, DocumentError> {
    Err(DocumentError::NoReader(super::Format::Text))
}
