//! What the tests of the decoding modules share: the same text in each encoding, and ways to
//! damage and decode it.

use encoding_rs::{BIG5, GBK};

use super::{sniff, DecodeError, DecodeReport, Decoder, Detection, Sniff, PREFIX_BYTES};

pub(super) fn text_detection(prefix: &[u8], whole: bool) -> Detection {
    match sniff(prefix, whole) {
        Sniff::Text(detection) => detection,
        Sniff::Binary(binary) => panic!("{prefix:02X?} taken as binary: {}", binary.kind),
    }
}

pub(super) fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = GBK.encode(text);
    assert!(!unmappable, "{text} is not GBK");
    bytes.into_owned()
}

pub(super) fn big5(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = BIG5.encode(text);
    assert!(!unmappable, "{text} is not Big5");
    bytes.into_owned()
}

pub(super) fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

pub(super) const SIMPLIFIED: &str = "根据《东城区2021年推进法治政府建设工作要点》，结合科信局工作实际，从“提升法治建设水平”、\
“推进科信普法工作”、“建立长效工作机制”三个方面着手，将年度工作目标分解落实到具体责任科室，确保职责到位。\n\
全面贯彻落实“放管服”和“优化营商环境”的总体要求，全力推进“政务服务一站式”和“不见面服务”等具体工作。\
优化工作流程、精简办事程序、及时更新权力事项清单和办事指南。\n";

pub(super) const TRADITIONAL: &str = "市科技局堅持以習近平新時代中國特色社會主義思想為指導，認真貫徹落實習近平法治思想和\
習近平總書記關於依法治國的重要論述重要講話精神，深入推進法治政府建設各項工作，法治政府建設工作取得積極進展\
和明顯成效，為創新驅動發展戰略實施提供了法治保障。現將有關情況報告如下：\n\
局黨組高度重視法治政府建設工作，認真學習貫徹習近平法治思想，召開專題會議研究部署法治政府建設年度重點工作。\n";

/// Decodes `bytes` through sniff and a Decoder fed `chunk`-sized pieces.
pub(super) fn decode_in_chunks(
    bytes: &[u8],
    chunk: usize,
    strict: bool,
) -> Result<(String, DecodeReport), DecodeError> {
    let prefix = &bytes[..bytes.len().min(PREFIX_BYTES)];
    let detection = text_detection(prefix, bytes.len() <= PREFIX_BYTES);
    let mut decoder = Decoder::new(detection, strict);
    let mut out = String::new();
    let mut pieces = bytes.chunks(chunk).peekable();
    if pieces.peek().is_none() {
        decoder.decode(&[], true, &mut out)?;
    }
    while let Some(piece) = pieces.next() {
        decoder.decode(piece, pieces.peek().is_none(), &mut out)?;
    }
    Ok((out, decoder.report()))
}

/// `text` with a stray byte 0xFF inserted at each of the given char boundaries, or (for an
/// offset inside a character) at the next one. Returns the bytes and the offsets of the strays.
pub(super) fn with_stray_bytes(text: &str, at: &[usize]) -> (Vec<u8>, Vec<u64>) {
    let mut bytes = Vec::with_capacity(text.len() + at.len());
    let mut offsets = Vec::new();
    let mut targets = at.iter().copied().peekable();
    for (i, c) in text.char_indices() {
        if targets.peek().is_some_and(|target| *target <= i) {
            targets.next();
            offsets.push(bytes.len() as u64);
            bytes.push(0xFF);
        }
        let mut buffer = [0; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
    }
    (bytes, offsets)
}
