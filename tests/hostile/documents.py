"""Hostile documents made at test time, small on disk and costly to read: PDFs of scattered text
runs, compression bombs, thousands of pages or a cross-reference loop; pages nested deeply,
with huge attribute values or a million links; oversized feeds."""

from __future__ import annotations

import zlib


def pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF of numbered objects (1-based) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref,
    )  # fmt: skip
    return bytes(out)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(data: bytes, compressed: bool = False) -> bytes:
    if compressed:
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def one_page(content: bytes) -> bytes:
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        content,
        FONT,
    ])  # fmt: skip


def scattered_runs(runs: int = 2_000) -> bytes:
    """One page of short text runs, each at its own height and a scattered column: each run is a
    text box of its own, and pdfminer's grouping of boxes grows worse than quadratically."""
    parts = [b"BT /F1 3 Tf"]
    for i in range(runs):
        x, y = (i * 7919) % 5600 / 10 + 20, 20 + i * 740 / runs
        parts.append(b"1 0 0 1 %.1f %.2f Tm (w%d) Tj" % (x, y, i))
    parts.append(b"ET")
    return one_page(stream(b"\n".join(parts)))


def inflation_bomb(megabytes: int = 1024) -> bytes:
    """A page whose content stream inflates from about 1 MB to `megabytes` MB."""
    packer, chunk = zlib.compressobj(9), b" " * (1 << 20)
    data = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    return one_page(stream(data, compressed=True))


def many_pages(count: int = 20_000) -> bytes:
    """`count` pages, each with one line of text."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count), FONT]
    for i in range(count):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i)
        )
        text = b"BT /F1 12 Tf 72 700 Td (Page %d of a long report on the justice sector reform.) Tj ET" % (i + 1)
        objects.append(stream(text))
    return pdf(objects)


def xref_loop() -> bytes:
    """A file whose trailer points to a cross-reference stream that points back to itself."""
    body = one_page(stream(b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"))
    start = body.rindex(b"startxref")
    loop = (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 2 1] /Prev %d /XRefStm %d /Length 0 >>\nstream\n\nendstream\nendobj\n"
    )
    offset = start
    return body[:start] + loop % (offset, offset) + b"startxref\n%d\n%%%%EOF\n" % offset


def nested_meta_page(depth: int = 250, megabytes: int = 2) -> bytes:
    """2 MB of text inside 250 nested <div class="meta">: every subtree's text is long."""
    text = ("Judges and prosecutors met in Astana. " * (megabytes * 27_000))[: megabytes * 1_000_000]
    return (
        b"<html><head><title>Nested</title></head><body>"
        + b'<div class="meta">' * depth
        + text.encode()
        + b"</div>" * depth
        + b"</body></html>"
    )


def crowded_tag_page(attributes: int = 200_000) -> bytes:
    """A release whose one paragraph tag carries `attributes` attributes (2 MB of them): libxml2
    checks each against the ones before it."""
    crowd = " ".join(f"data-a{i}=x" for i in range(attributes))
    text = "Judges of the regional court were trained on fair trial standards in Astana. " * 8
    return (
        f"<html><head><title>Judges trained</title></head><body><article><h1>Judges trained</h1>"
        f'<p {crowd}>{text}</p><p title="a (1) b=2" class="note">Prosecutors joined them.</p></article></body></html>'
    ).encode()


def separated_title_and_nested_leads(separators: int = 20_000, wrappers: int = 200) -> bytes:
    """A title of `separators` "Judges | " pieces, and the body's 20,000 paragraphs inside
    `wrappers` nested blocks classed "lead": a reader that looks at every piece or wrapper in
    full is quadratic."""
    title = ("Judges | " * separators).encode()
    paragraphs = b"".join(b"<p>Paragraph %d on judicial reform in Almaty.</p>" % n for n in range(20_000))
    return (
        b'<html><head><meta property="og:title" content="'
        + title
        + b'"><meta property="og:site_name" content="Courier">'
        b"<title>"
        + title
        + b"</title></head><body><main><h1>Judges</h1>"
        + b'<div class="lead">' * wrappers
        + b"<div>"
        + paragraphs
        + b"</div>"
        + b"</div>" * wrappers
        + b"</main></body></html>"
    )


def huge_date_page(megabytes: int = 10) -> bytes:
    """A meta date of `megabytes` MB of digits and years: a date parser that reads it all is slow."""
    value = ("2024 12 " * (megabytes * 131_072))[: megabytes * 1_048_576]
    return (
        b'<html><head><meta property="article:published_time" content="' + value.encode() + b'">'
        b"<title>Huge date</title></head><body><article><h1>Huge date</h1>"
        + b"<p>The Supreme Court held a seminar on judicial ethics for forty judges in Almaty.</p>" * 5
        + b'<time datetime="'
        + value.encode()
        + b'">x</time></article></body></html>'
    )


def link_listing(count: int = 1_000_000) -> bytes:
    """A listing in UNDP's card markup with `count` release links."""
    cards = "".join(
        f'<div class="content-card"><a href="/kazakhstan/press-releases/release-{i}">'
        f'<h6 class="coh-heading">April 30, 2025</h6><h2 class="coh-heading">Release {i}</h2></a></div>'
        for i in range(count)
    )
    return f"<html><body><main>{cards}</main></body></html>".encode()


def atom_feed(items: int = 200_000) -> bytes:
    entries = "".join(
        f'<entry><title>Item {i}</title><link href="https://newscentralasia.net/2025/03/01/item-{i}/"/>'
        f"<id>urn:x:{i}</id><updated>2025-03-01T10:00:00Z</updated><summary>Court news {i}</summary></entry>"
        for i in range(items)
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>{entries}</feed>'.encode()
