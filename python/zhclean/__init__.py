"""zhclean: turn messy Chinese documents into clean, normalized UTF-8 text.

The cleaning pipeline of the ``zhclean`` program, in process::

    >>> import zhclean
    >>> zhclean.clean("　　根据《條例》,现将情况报告如下:\\r\\n")
    '根据《條例》，现将情况报告如下：\\n'
    >>> cleaner = zhclean.Cleaner(to="simplified", disable=["indentation"])
    >>> cleaner.clean_batch(["第一篇", "第二篇"], threads=2)
    ['第一篇\\n', '第二篇\\n']

``clean`` of a ``str`` equals ``zhclean clean`` of that text as a UTF-8 file (and of a
``--jsonl`` record with that text); ``bytes`` are a file's, as ``zhclean clean -`` reads them: a
document (.docx, .odt, .doc/.wps, .epub, HTML, told by its first bytes) is read by its reader,
so ``zhclean.clean(open("报告.docx", "rb").read())`` gives the report's text; other bytes are
decoded, the encoding detected as the program detects it. Errors raise :class:`zhclean.Error` (a ``ValueError``) with the program's
messages.
"""

from ._zhclean import Cleaner, Error, clean, convert, detect, rules

__all__ = ["Cleaner", "Error", "clean", "convert", "detect", "rules"]
