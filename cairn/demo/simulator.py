"""A community simulator: members whose behaviour follows from latent traits, and attacks.

Each member has latent generosity, integrity, courage, responsiveness and competence in
[0, 1], an activity level, a join day and a circle of contacts (a team plus a few people from
elsewhere). Every day, active members ask their contacts for help (courage), contacts answer
or not (responsiveness) and how fast, help (generosity), are thanked, credited and rated for it
(competence and integrity), make commitments that are later confirmed kept or missed
(integrity), share know-how (generosity), lessons from setbacks (courage) and mentor.

Attacks (``attack``):

- ``sybil:K:G`` — K fake accounts join half-way, vouch for each other densely and fool G honest
  members once each (the attack edges);
- ``ring:K`` — K real members start praising each other daily half-way through;
- ``serial`` — one member thanks one other a hundred times in a single day;
- ``whitewash`` — a bad actor drops their account 30 days before the end and returns under a
  fresh identity;
- ``traitor`` — the most trustworthy established member starts missing every commitment and
  ignoring requests in the last 14 days.

Pure Python and numpy, deterministic given ``seed``. ``cairn simulate`` writes the result as an
event CSV (the trust event contract) and a truth CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cairn.trust.engine.events import KIND_CODE, KINDS

__all__ = ["ATTACKS", "Simulation", "parse_attack", "simulate"]

K = KIND_CODE
ATTACKS = ("sybil", "ring", "serial", "whitewash", "traitor")
TRAITS = ("generosity", "integrity", "courage", "responsiveness", "competence")
DAY = 86400
START = 1_700_000_000  # 2023-11-14, a fixed epoch so runs are reproducible


def parse_attack(text: str | None) -> tuple[str, list[int]] | None:
    """Return ``(name, numbers)`` for an attack spec like ``sybil:100:10``.

    Raises
    ------
    ValueError
        For an unknown attack or malformed numbers.
    """
    if not text:
        return None
    name, *nums = text.split(":")
    if name not in ATTACKS:
        raise ValueError(f"unknown attack {name!r} (choose from {', '.join(ATTACKS)})")
    try:
        numbers = [int(x) for x in nums]
    except ValueError:
        raise ValueError(f"attack {text!r}: the numbers must be integers") from None
    expected = {"sybil": 2, "ring": 1}.get(name, 0)
    if len(numbers) != expected or any(x < 1 for x in numbers):
        shape = {"sybil": "sybil:K:G", "ring": "ring:K"}.get(name, name)
        raise ValueError(f"attack {text!r} must look like {shape} with positive numbers")
    return name, numbers


@dataclass
class Simulation:
    """A simulated community: events as arrays, people, and the truth about them.

    Attributes
    ----------
    people : list of str
        Person ids.
    time, actor, subject, kind, value : ndarray
        The events (``subject`` -1 for nobody, ``kind`` indexes :data:`KINDS`, ``value`` NaN
        for none), sorted by time.
    traits : ndarray, shape (n, 5)
        Latent generosity, integrity, courage, responsiveness, competence.
    role : list of str
        ``member`` or the attacker role (``sybil``, ``ring``, ``serial``, ``serial-target``,
        ``whitewash-old``, ``whitewash-new``, ``traitor``).
    join_day : ndarray of int
    """

    people: list[str]
    time: np.ndarray
    actor: np.ndarray
    subject: np.ndarray
    kind: np.ndarray
    value: np.ndarray
    traits: np.ndarray
    role: list[str]
    join_day: np.ndarray
    days: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def trustworthiness(self) -> np.ndarray:
        """Return the latent trustworthiness: 0.4 integrity + 0.2 each of the other three."""
        g, i, c, r, _ = self.traits.T
        return 0.4 * i + 0.2 * g + 0.2 * c + 0.2 * r

    @property
    def attacker(self) -> np.ndarray:
        """Return whether each account is an attacker's."""
        return np.array([r not in ("member", "serial-target") for r in self.role])

    def write_events(self, path) -> None:
        """Write the events as a contract CSV."""
        names = np.array(self.people + [""], dtype=object)
        values = [
            "" if v != v else (f"{v:.3f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:.0f}")
            for v in self.value.tolist()
        ]
        rows = zip(
            self.time.tolist(),
            names[self.actor].tolist(),
            names[self.subject].tolist(),
            [KINDS[k] for k in self.kind.tolist()],
            values,
            strict=True,
        )
        with open(path, "w", encoding="utf-8") as f:
            f.write("time,actor,subject,kind,value\n")
            f.writelines(f"{t},{a},{s},{k},{v}\n" for t, a, s, k, v in rows)

    def write_truth(self, path) -> None:
        """Write the latent traits and the attacker flags as CSV."""
        trust = self.trustworthiness
        attacker = self.attacker
        with open(path, "w", encoding="utf-8") as f:
            f.write("person," + ",".join(TRAITS) + ",trustworthiness,attacker,role,join_day\n")
            for i, name in enumerate(self.people):
                traits = ",".join(f"{x:.4f}" for x in self.traits[i])
                f.write(
                    f"{name},{traits},{trust[i]:.4f},{int(attacker[i])},{self.role[i]},"
                    f"{self.join_day[i]}\n"
                )


class _Log:
    """Collects events as lists of arrays."""

    def __init__(self) -> None:
        self.parts: list[tuple] = []

    def add(self, t, actor, subject, kind, value=None) -> None:
        t = np.atleast_1d(np.asarray(t, dtype=np.int64))
        m = t.size
        if m == 0:
            return
        actor = np.broadcast_to(np.asarray(actor, dtype=np.int64), (m,))
        subject = np.broadcast_to(np.asarray(subject, dtype=np.int64), (m,))
        value = np.full(m, np.nan) if value is None else np.broadcast_to(value, (m,))
        self.parts.append((t, actor, subject, np.full(m, K[kind], np.int8), value))

    def arrays(self):
        cols = [np.concatenate([p[c] for p in self.parts]) for c in range(5)]
        order = np.argsort(cols[0], kind="stable")
        return [c[order] for c in cols]


def simulate(
    people: int = 200, days: int = 180, attack: str | None = None, seed: int = 0
) -> Simulation:
    """Return a simulated community.

    Parameters
    ----------
    people : int
        Number of honest members.
    days : int
        Length of the simulated period.
    attack : str, optional
        An attack spec (see the module docstring).
    seed : int
        Random seed; the same arguments give the same community.

    Returns
    -------
    Simulation
    """
    spec = parse_attack(attack)
    if people < 2 or days < 1:
        raise ValueError("need at least 2 people and 1 day")
    rng = np.random.default_rng(seed)
    n = people
    traits = rng.beta(4, 2, size=(n, 5))
    bad = rng.random(n) < 0.12  # some members are careless or self-serving
    traits[bad, :4] = rng.beta(2, 4, size=(int(bad.sum()), 4))
    activity = np.clip(rng.lognormal(0.0, 0.5, n), 0.2, 4.0)
    join_day = np.where(rng.random(n) < 0.6, 0, rng.integers(0, max(1, int(days * 0.7)), n))
    # Contacts: a team of about 15 plus 5 people from elsewhere.
    team = rng.permutation(n) // 15
    members_of: dict[int, list[int]] = {}
    for i, t in enumerate(team):
        members_of.setdefault(int(t), []).append(i)
    width = 20
    contacts = np.empty((n, width), dtype=np.int64)
    for i in range(n):
        mates = [j for j in members_of[int(team[i])] if j != i] or [int((i + 1) % n)]
        contacts[i, :15] = rng.choice(mates, 15)
        contacts[i, 15:] = rng.integers(0, n, width - 15)
    loops = np.nonzero(contacts == np.arange(n)[:, None])
    contacts[loops] = (loops[0] + 1) % n
    role = ["member"] * n
    names = [f"m{i:0{len(str(n))}d}" for i in range(n)]
    log = _Log()
    gen, integ, cou, resp, comp = traits.T
    traitor = -1
    if spec and spec[0] == "traitor":
        established = (join_day == 0) & ~bad
        score = np.where(established, 0.4 * integ + 0.2 * (gen + cou + resp) + 0.1 * activity, -1)
        traitor = int(np.argmax(score))
        role[traitor] = "traitor"
    turn_day = days - 14

    for day in range(days):
        active = np.flatnonzero(join_day <= day)
        base = START + day * DAY

        def stamp(k, base=base):
            return base + rng.integers(8 * 3600, 20 * 3600, k)

        # Asking for help.
        p_ask = 0.10 * activity[active] * (0.4 + cou[active])
        askers = active[rng.random(active.size) < p_ask]
        helpers = contacts[askers, rng.integers(0, width, askers.size)]
        ok = join_day[helpers] <= day
        askers, helpers = askers[ok], helpers[ok]
        t_ask = stamp(askers.size)
        log.add(t_ask, askers, helpers, "asked")
        p_resp = 0.05 + 0.9 * resp[helpers]
        if traitor >= 0 and day >= turn_day:
            p_resp[helpers == traitor] = 0.0
        answers = rng.random(askers.size) < p_resp
        hours = rng.exponential(1.0 + 40.0 * (1.0 - resp[helpers]))
        a_ask, a_help, a_t, a_h = askers[answers], helpers[answers], t_ask[answers], hours[answers]
        t_resp = a_t + (a_h * 3600).astype(np.int64)
        log.add(t_resp, a_help, a_ask, "responded", np.round(a_h, 1))
        no = ~answers
        log.add(t_ask[no] + 3 * DAY, askers[no], helpers[no], "unanswered")
        helps = rng.random(a_help.size) < 0.2 + 0.8 * gen[a_help]
        h_ask, h_help, h_t = a_ask[helps], a_help[helps], t_resp[helps] + 3600
        log.add(h_t, h_help, h_ask, "helped", np.round(rng.uniform(0.5, 3.0, h_help.size), 1))
        quality = 0.6 * comp[h_help] + 0.4 * gen[h_help]
        thanks = rng.random(h_help.size) < 0.2 + 0.7 * quality
        log.add(h_t[thanks] + 7200, h_ask[thanks], h_help[thanks], "thanked")
        credit = rng.random(h_help.size) < 0.05 + 0.3 * cou[h_ask] * quality
        log.add(h_t[credit] + 2 * DAY, h_ask[credit], h_help[credit], "credited")
        rate = rng.random(h_help.size) < 0.35
        r_val = 0.1 + 0.5 * (2 * comp[h_help] - 1) + 0.6 * (2 * integ[h_help] - 1)
        r_val = np.clip(r_val + rng.normal(0, 0.3, h_help.size), -1, 1)
        log.add(h_t[rate] + DAY, h_ask[rate], h_help[rate], "rated", np.round(r_val[rate], 2))
        # Commitments, confirmed by the counterpart when due.
        p_commit = 0.06 * activity[active]
        committers = active[rng.random(active.size) < p_commit]
        if traitor >= 0 and day >= turn_day and join_day[traitor] <= day:
            committers = np.append(committers, [traitor] * 2)
        partners = contacts[committers, rng.integers(0, width, committers.size)]
        t_c = stamp(committers.size)
        due = t_c + rng.integers(2, 10, committers.size) * DAY
        log.add(t_c, committers, partners, "committed", due.astype(np.float64))
        p_keep = 0.05 + 0.93 * integ[committers] ** 0.7
        if traitor >= 0 and day >= turn_day:
            p_keep[committers == traitor] = 0.0
        kept = rng.random(committers.size) < p_keep
        confirmed = rng.random(committers.size) < 0.85
        end = START + days * DAY
        in_time = due < end
        sel = kept & confirmed & in_time
        log.add(due[sel], partners[sel], committers[sel], "kept")
        sel = ~kept & confirmed & in_time
        log.add(due[sel], partners[sel], committers[sel], "missed")
        # Things done alone, and mentoring.
        for kind, p, trait in (
            ("lesson_shared", 0.015, cou),
            ("shared", 0.03, gen),
            ("mentored", 0.01, gen),
        ):
            who = active[rng.random(active.size) < p * activity[active] * trait[active] * 2]
            if kind == "mentored":
                mentees = contacts[who, rng.integers(0, width, who.size)]
                log.add(stamp(who.size), who, mentees, kind, np.round(rng.uniform(1, 3, who.size)))
            else:
                log.add(stamp(who.size), who, -1, kind)

    if spec:
        name, nums = spec
        extra = _attack(name, nums, rng, log, names, role, traits, join_day, days)
        if extra:
            traits = np.vstack([traits, np.array([t for t, _ in extra])])
            join_day = np.append(join_day, [d for _, d in extra])
    time, actor, subject, kind, value = log.arrays()
    return Simulation(
        people=names,
        time=time,
        actor=actor,
        subject=subject,
        kind=kind,
        value=value,
        traits=traits,
        role=role,
        join_day=np.asarray(join_day),
        days=days,
        meta={"attack": attack, "seed": seed, "traitor": traitor},
    )


def _attack(name, nums, rng, log, names, role, traits, join_day, days):
    """Add the attack's accounts and events; return (traits, join day) of new accounts."""
    n = len(names)
    active = np.flatnonzero(join_day <= days // 2)
    half = START + (days // 2) * DAY
    end = START + days * DAY
    new = []

    def t_between(lo, hi, k):
        return rng.integers(lo, hi, k)

    if name == "sybil":
        k, g = nums
        ids = np.arange(n, n + k)
        names += [f"s{j:04d}" for j in range(k)]
        role += ["sybil"] * k
        new = [([0.1, 0.1, 0.1, 0.1, 0.1], days // 2)] * k
        # Attack edges: g honest members are helped by a sybil once, and thank and rate it.
        victims = rng.choice(active, size=min(g, active.size), replace=False)
        faces = ids[rng.integers(0, k, victims.size)]
        t = t_between(half, end - DAY, victims.size)
        log.add(t, victims, faces, "asked")
        log.add(t + 1800, faces, victims, "responded", np.full(victims.size, 0.5))
        log.add(t + 3600, faces, victims, "helped", np.full(victims.size, 2.0))
        log.add(t + 7200, victims, faces, "thanked")
        log.add(t + DAY, victims, faces, "rated", np.full(victims.size, 0.8))
        # Inside the region: dense mutual praise every few days.
        for day in range(days // 2, days):
            base = START + day * DAY
            m = k * 2
            a = ids[rng.integers(0, k, m)]
            b = ids[rng.integers(0, k, m)]
            ok = a != b
            a, b = a[ok], b[ok]
            t = base + rng.integers(0, DAY // 2, a.size)
            kinds = rng.integers(0, 4, a.size)
            for code, kind in enumerate(("thanked", "credited", "kept", "rated")):
                sel = kinds == code
                if kind == "rated":
                    log.add(t[sel], a[sel], b[sel], kind, np.ones(int(sel.sum())))
                else:
                    log.add(t[sel], a[sel], b[sel], kind)
            log.add(t[kinds == 0] - 600, b[kinds == 0], a[kinds == 0], "responded", 0.2)
            solo = ids[rng.random(k) < 0.2]
            log.add(base + rng.integers(0, DAY, solo.size), solo, -1, "lesson_shared")
            log.add(base + rng.integers(0, DAY, solo.size), solo, -1, "shared")
    elif name == "ring":
        (k,) = nums
        members = rng.choice(active, size=min(k, active.size), replace=False)
        for i in members:
            role[i] = "ring"
        for day in range(days // 2, days):
            base = START + day * DAY
            for i in members:
                others = members[members != i]
                if others.size == 0:
                    continue
                j = others[rng.integers(0, others.size)]
                t = base + int(rng.integers(0, DAY))
                log.add(t, i, j, "thanked")
                log.add(t + 60, i, j, "rated", 1.0)
                log.add(t + 120, i, j, "kept")
                if rng.random() < 0.3:
                    log.add(t + 180, i, j, "credited")
    elif name == "serial":
        attacker, target = rng.choice(active, size=2, replace=False)
        role[attacker], role[target] = "serial", "serial-target"
        day_start = (end - 5 * DAY) // DAY * DAY  # one calendar day (UTC)
        t = day_start + np.sort(rng.integers(6 * 3600, 22 * 3600, 100))
        log.add(t, attacker, target, "thanked")
    elif name == "whitewash":
        scores = traits[:, 1] + traits[:, 0] + traits[:, 3]
        old = int(np.argmin(np.where(join_day == 0, scores, np.inf)))
        role[old] = "whitewash-old"
        new_id = n
        names.append("w-fresh")
        role.append("whitewash-new")
        new = [(list(traits[old]), days - 30)]
        # Drop the old account's events in the last 30 days; the fresh one acts instead.
        cut = end - 30 * DAY
        parts = []
        for t, a, s, kind, v in log.parts:
            drop = (t >= cut) & ((a == old) | (s == old))
            parts.append((t[~drop], a[~drop], s[~drop], kind[~drop], v[~drop]))
        log.parts = parts
        contacts = rng.choice(active[active != old], size=8, replace=False)
        for d in range(30):
            base = cut + d * DAY
            if rng.random() < 0.5:
                c = int(rng.choice(contacts))
                log.add(base + 3600, new_id, c, "asked")
                log.add(base + 7200, c, new_id, "responded", 2.0)
                log.add(base + 9000, c, new_id, "helped", 1.0)
                log.add(base + 10000, new_id, c, "thanked")
            if rng.random() < 0.3:
                c = int(rng.choice(contacts))
                log.add(base + 5000, new_id, c, "committed", float(base + 5 * DAY))
                if base + 5 * DAY < end:
                    log.add(base + 5 * DAY, c, new_id, "missed" if rng.random() < 0.7 else "kept")
    return new
