import importlib.util
import os
import struct

from odoo.modules.module import get_module_path
from odoo.tests import BaseCase, tagged

ROOT = get_module_path("sale_regional_target")


@tagged("post_install", "-at_install")
class TestPackaging(BaseCase):
    """What Odoo's Apps shows of the addon: a page generated from readme/ and
    an icon."""

    def test_description_page_is_generated_from_the_readme_fragments(self):
        path = os.path.join(ROOT, "scripts", "description.py")
        spec = importlib.util.spec_from_file_location("srt_description", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        with open(script.OUTPUT, encoding="utf-8") as page:
            self.assertEqual(page.read(), script.render())
        with open(os.path.join(ROOT, "readme", "USAGE.md"), encoding="utf-8") as usage:
            first_words = usage.read().split("\n", 1)[0].split("*")[0].strip()
        self.assertIn(first_words, script.render())

    def test_app_icon(self):
        with open(os.path.join(ROOT, "static", "description", "icon.png"), "rb") as f:
            header = f.read(24)
        self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", header[16:24])
        self.assertEqual((width, height), (256, 256))
