from cairn.ledger.models import Verb
from cairn.safeguards.actions import do_scan_organisation
from cairn.safeguards.tests.test_pages import make_ring
from cairn.safeguards.tests.test_scan import happened
from cairn.testing import CairnTestCase
from cairn.trust.adapter import ledger_events, recompute_organisation
from cairn.trust.models import TrustProfile


class CorrectedEventsLeaveTrustTest(CairnTestCase):
    def test_corrected_thanks_are_not_read_by_the_trust_engine(self):
        for i in range(100):
            happened(Verb.THANKED, self.bob, self.carol, 20 - i * 0.2)
        self.assertEqual(len(ledger_events(self.acme.pk).events), 100)
        do_scan_organisation(self.acme)
        self.assertEqual(len(ledger_events(self.acme.pk).events), 3)

    def test_a_ring_of_fresh_accounts_changes_nobodys_trust_once_corrected(self):
        happened(Verb.THANKED, self.bob, self.carol, 30)
        happened(Verb.KEPT, self.alice, self.bob, 29)
        recompute_organisation(self.acme)
        before = {p.user_id: round(p.trust, 6) for p in TrustProfile.objects.all()}
        ring = make_ring(self.acme, 4)
        do_scan_organisation(self.acme)
        recompute_organisation(self.acme)
        after = {p.user_id: round(p.trust, 6) for p in TrustProfile.objects.all()}
        for user_id, trust in before.items():
            self.assertEqual(after[user_id], trust)
        for member in ring:
            self.assertEqual(TrustProfile.objects.get(user=member).standing(), "not yet known")
