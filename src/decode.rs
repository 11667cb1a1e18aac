//! LOCAL STUB — replaced by the decode branch. Not committed.
use encoding_rs::Encoding;
pub const PREFIX_BYTES: usize = 64 * 1024;
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Certain,
    High,
    Medium,
    Low,
}
impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self)
    }
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detection {
    pub encoding: &'static Encoding,
    pub confidence: Confidence,
    pub bom_len: usize,
}
impl Detection {
    pub fn label(&self) -> &'static str {
        self.encoding.name()
    }
}
pub struct Binary {
    pub kind: &'static str,
    pub hint: Option<&'static str>,
}
pub enum Sniff {
    Text(Detection),
    Binary(Binary),
}
pub fn sniff(prefix: &[u8], _whole: bool) -> Sniff {
    if prefix.starts_with(b"\x89PNG") {
        return Sniff::Binary(Binary {
            kind: "PNG image",
            hint: None,
        });
    }
    Sniff::Text(Detection {
        encoding: encoding_rs::UTF_8,
        confidence: Confidence::High,
        bom_len: 0,
    })
}
pub fn forced(encoding: &'static Encoding, _prefix: &[u8]) -> Detection {
    Detection {
        encoding,
        confidence: Confidence::Certain,
        bom_len: 0,
    }
}
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.as_bytes())
}
pub struct Decoder {
    d: encoding_rs::Decoder,
    det: Detection,
    n: u64,
}
impl Decoder {
    pub fn new(detection: Detection, _strict: bool) -> Self {
        Decoder {
            d: detection.encoding.new_decoder(),
            det: detection,
            n: 0,
        }
    }
    pub fn decode(
        &mut self,
        bytes: &[u8],
        last: bool,
        out: &mut String,
    ) -> Result<(), DecodeError> {
        self.n += bytes.len() as u64;
        out.reserve(self.d.max_utf8_buffer_length(bytes.len()).unwrap());
        let _ = self.d.decode_to_string(bytes, out, last);
        Ok(())
    }
    pub fn report(&self) -> DecodeReport {
        DecodeReport {
            encoding: self.det.label(),
            confidence: self.det.confidence,
            bytes_in: self.n,
            replaced: 0,
            replaced_offsets: vec![],
        }
    }
}
#[derive(Clone, Debug, serde::Serialize)]
pub struct DecodeReport {
    pub encoding: &'static str,
    pub confidence: Confidence,
    pub bytes_in: u64,
    pub replaced: u64,
    pub replaced_offsets: Vec<u64>,
}
#[derive(Debug)]
pub struct DecodeError;
impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad")
    }
}
impl std::error::Error for DecodeError {}
