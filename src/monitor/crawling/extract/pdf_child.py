"""`python -m monitor.crawling.extract.pdf_child LIMITS_JSON`: parses the PDF on standard input
under CPU-time and address-space limits it sets on itself, and writes the document (or why it
could not be read) as JSON on standard output. See contained.py."""

from __future__ import annotations

import json
import resource
import sys


def main() -> int:
    options = json.loads(sys.argv[1])
    seconds, memory = int(options["seconds"]) + 1, int(options["mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))  # SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from monitor.crawling.extract.pdf import PdfError, extract_pdf

    body = sys.stdin.buffer.read()
    try:
        document = extract_pdf(body, options["drop_blocks"], options["date_order"], options["pages"])
    except PdfError as exc:
        result: dict[str, object] = {"error": str(exc)}
    except MemoryError:
        result = {"error": f"parsing the PDF needed more than {options['mb']} MB (limit document_mb)", "limit": True}
    except RecursionError:
        result = {"error": "unreadable PDF (its objects nest too deeply)"}
    else:
        result = {"title": document.title, "paragraphs": document.paragraphs, "dates": document.dates,
                  "notes": document.notes}  # fmt: skip
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
