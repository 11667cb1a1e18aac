"""Type stubs of the compiled module (python/src/lib.rs)."""

from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple, TypedDict, Union, overload

Target = Literal["simplified", "traditional", "tw", "hk"]
ConvertMode = Literal["auto", "always", "never"]

class Error(ValueError):
    """A text zhclean cannot clean, or an option it does not know (the program's message)."""

class Detection(TypedDict, total=False):
    binary: Optional[str]
    encoding: str
    confidence: Literal["certain", "high", "medium", "low"]
    script: Optional[str]
    artifacts: Dict[str, int]
    replaced: int
    bytes: int
    lines: int

def clean(
    text_or_bytes: Union[str, bytes],
    *,
    to: Target = "simplified",
    convert: ConvertMode = "auto",
    enable: Sequence[str] = (),
    disable: Sequence[str] = (),
    blank_line: bool = False,
    encoding: Optional[str] = None,
    strict: bool = False,
) -> str:
    """Clean one document as ``zhclean clean`` does.

    ``bytes`` are a file's: a .docx, .odt, .doc/.wps, .epub or HTML document (told by its first
    bytes, as the program tells a file on its standard input) is read by its reader, anything
    else decoded as text, the encoding detected. A ``str`` is text, whatever it holds.
    """

def convert(text: str, config: str = "t2s", *, rare_chars: bool = False) -> str:
    """Convert script alone, as ``zhclean convert -c CONFIG``."""

def detect(data: bytes) -> Detection:
    """What ``zhclean detect --json`` says of a file with these bytes."""

def rules() -> List[str]:
    """The names of the cleaning rules, in pipeline order (``zhclean rules``)."""

class Cleaner:
    """Cleaning options resolved once, for many documents."""

    def __init__(
        self,
        *,
        to: Target = "simplified",
        convert: ConvertMode = "auto",
        enable: Sequence[str] = (),
        disable: Sequence[str] = (),
        blank_line: bool = False,
        encoding: Optional[str] = None,
        strict: bool = False,
    ) -> None: ...
    def clean(self, text: Union[str, bytes]) -> str:
        """Clean one document (``bytes``: a file's, a document read as ``clean`` reads it)."""
    def clean_with_report(self, text: Union[str, bytes]) -> Tuple[str, Dict[str, Any]]:
        """Clean one document; also return the report ``zhclean clean --report`` writes."""
    @overload
    def clean_batch(
        self,
        texts: Sequence[str],
        threads: Optional[int] = None,
        errors: Literal["raise", "keep"] = "raise",
    ) -> List[str]:
        """Clean texts in parallel with the GIL released; the results in order."""
    @overload
    def clean_batch(
        self, texts: Sequence[str], threads: Optional[int], errors: Literal["none"]
    ) -> List[Optional[str]]:
        """As above; a text that cannot be cleaned is None."""
