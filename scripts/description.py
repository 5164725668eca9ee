"""Build static/description/index.html (the page Odoo's Apps shows) from the
readme/ fragments, as OCA modules do: readme/*.md are the source, the page is
generated. ``--check`` exits non-zero when the page is not up to date.

Usage: python scripts/description.py [--check]
"""

import argparse
import ast
import html
import os
import sys

import markdown

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the fragments in the order of the page, with their headings
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("CONTRIBUTORS.md", "Contributors"),
]
OUTPUT = os.path.join(ROOT, "static", "description", "index.html")


def manifest():
    with open(os.path.join(ROOT, "__manifest__.py"), encoding="utf-8") as file:
        # the manifest is a Python literal
        return ast.literal_eval(file.read())


def render():
    info = manifest()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"/>',
        f"<title>{html.escape(info['name'])}</title></head>",
        "<body>",
        '<section class="oe_container"><div class="oe_row oe_spaced">',
        f'<h2 class="oe_slogan">{html.escape(info["name"])}</h2>',
        f'<h3 class="oe_slogan">{html.escape(info["summary"])}</h3>',
        '<p class="oe_mt32">'
        f"Version {html.escape(info['version'])}, "
        f"license {html.escape(info['license'])}. "
        "Generated from the readme/ fragments by scripts/description.py: "
        "edit those, not this page.</p>",
    ]
    for name, heading in SECTIONS:
        path = os.path.join(ROOT, "readme", name)
        with open(path, encoding="utf-8") as file:
            body = markdown.markdown(file.read(), extensions=["tables"])
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(body)
    parts += ["</div></section>", "</body>", "</html>", ""]
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    page = render()
    if args.check:
        try:
            with open(OUTPUT, encoding="utf-8") as file:
                current = file.read()
        except FileNotFoundError:
            current = None
        if current != page:
            print(
                f"{OUTPUT} is out of date: run scripts/description.py",
                file=sys.stderr,
            )
            sys.exit(1)
        return
    with open(OUTPUT, "w", encoding="utf-8") as file:
        file.write(page)
    print(f"[description] {OUTPUT}")


if __name__ == "__main__":
    main()
