"""What a web process does before its first request: imports, indexes, a frozen heap."""

import gc

from django.test import TestCase
from django.urls import get_resolver

from cairn.web.startup import prepare_to_serve


class PrepareToServeTest(TestCase):
    def test_the_process_holds_its_views_and_keeps_them_out_of_full_collections(self) -> None:
        gc.unfreeze()
        try:
            prepare_to_serve()
            self.assertTrue(get_resolver().url_patterns)
            frozen = gc.get_freeze_count()
            self.assertGreater(frozen, 10_000)  # Django, the views and their modules
            # What the process makes afterwards is collected as before; the frozen stay put.
            garbage: list[list[object]] = [[] for _ in range(1000)]
            for item in garbage:
                item.append(item)  # cycles only a collection frees
            del garbage, item
            self.assertGreaterEqual(gc.collect(), 1000)
            self.assertEqual(gc.get_freeze_count(), frozen)
        finally:
            gc.unfreeze()
