//! LOCAL STUB — replaced by the decode branch. Not committed.
pub struct Encoder;
impl Encoder {
    pub fn new(_e: &'static encoding_rs::Encoding) -> Self {
        Encoder
    }
    pub fn encode(
        &mut self,
        text: &str,
        _last: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        out.extend_from_slice(text.as_bytes());
        Ok(())
    }
}
#[derive(Debug)]
pub struct EncodeError;
impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad")
    }
}
impl std::error::Error for EncodeError {}
