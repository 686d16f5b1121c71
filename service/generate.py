"""Synthetic companies in the bulk import format, for load tests and demos.

``generate(nodes, seed)`` builds one JSON-ready document: teams in a shallow tree, people,
four quarterly periods, one live mission above visions, strategies, goals and a large
majority of work, about 1.5 links per node, and key results on a shared metric
vocabulary. A small, planted share of misalignment gives the analyses something to find
at every size: about 1% orphans (``unlinked``, ``broken_chain`` and ``inactive_path``),
standalone work, and ``declared``, ``metric``, ``period`` and ``status`` conflicts.

The document depends only on ``(nodes, seed)``: one ``random.Random(seed)`` drives every
choice and all dates fall in 2026. Nodes are listed mission first, then visions,
strategies, goals and work, and every ``supports`` link points from a later node to an
earlier one, so the supports graph cannot hold a cycle.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import IO, Any

__all__ = ["MIN_NODES", "generate", "write"]

MIN_NODES = 20
"""The smallest company with room for every kind and every planted finding."""

_YEAR = 2026
_BATCH = 10_000  # list items encoded at a time by ``write``


def generate(nodes: int, seed: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Return a synthetic company of ``nodes`` nodes as one import document.

    The same ``(nodes, seed)`` always gives the same document. Shares of misalignment are
    on target from a few thousand nodes; smaller companies get at least one of each
    finding where there is room for it.

    Examples
    --------
    >>> document = generate(100, seed=1)
    >>> len(document["nodes"]), document["nodes"][0]["kind"]
    (100, 'mission')
    >>> document == generate(100, seed=1)
    True
    """
    if isinstance(nodes, bool) or not isinstance(nodes, int) or nodes < MIN_NODES:
        raise ValueError(f"nodes must be an integer of at least {MIN_NODES}, got {nodes!r}")
    return _Company(nodes, random.Random(seed)).build()


def write(document: dict[str, Any], stream: IO[str]) -> None:
    """Write ``document`` to a text stream as compact JSON.

    The output is exactly ``json.dump(document, stream, separators=(",", ":"))``, but long
    lists are encoded in batches: ``json.dump`` writes one small piece at a time and is
    several times slower, while ``json.dumps`` would hold the whole text in memory.
    """
    encode = json.JSONEncoder(separators=(",", ":")).encode
    stream.write("{")
    for number, (key, value) in enumerate(document.items()):
        stream.write(f"{',' if number else ''}{encode(key)}:")
        if not isinstance(value, list):
            stream.write(encode(value))
            continue
        stream.write("[")
        for start in range(0, len(value), _BATCH):
            stream.write(("," if start else "") + encode(value[start : start + _BATCH])[1:-1])
        stream.write("]")
    stream.write("}")


def _words(text: str) -> list[str]:
    return text.split(", ")


def _table(spec: str) -> list[str]:
    """``"active 70, done 30"`` -> 100 values to draw from uniformly."""
    table = []
    for part in _words(spec):
        value, share = part.split()
        table += [value] * int(share)
    return table


def _metrics(spec: str) -> list[tuple[str, str, str, float, float]]:
    """``"key unit direction low high; ..."`` -> metric tuples; start values lie in [low, high]."""
    found = []
    for part in spec.split("; "):
        key, unit, direction, low, high = part.split()
        found.append((key, unit, direction, float(low), float(high)))
    return found


# department -> (sub-team areas, things work is done on, metrics its goals measure)
_DEPARTMENTS = {
    "Leadership": (
        [],
        _words("company strategy, board pack, operating plan, all-hands, OKR review"),
        _metrics(
            "company.annual_recurring_revenue EUR increase 1000000 50000000; "
            "company.gross_revenue_churn % decrease 3 20; "
            "company.employee_nps score increase 5 40; company.customers count increase 100 20000"
        ),
    ),
    "Engineering": (
        _words("Platform, Payments, Mobile, Web, Infrastructure, Search, Integrations, Tooling"),
        _words(
            "deploy pipeline, payments service, mobile app, search index, API gateway, "
            "feature flags, build cache, test suite, service mesh, billing engine, login flow, "
            "webhook delivery"
        ),
        _metrics(
            "engineering.deploy_frequency deploys/week increase 5 60; "
            "engineering.lead_time days decrease 2 20; "
            "engineering.change_failure_rate % decrease 5 30; "
            "engineering.time_to_restore hours decrease 1 48; "
            "engineering.test_coverage % increase 40 85; engineering.build_time min decrease 5 60"
        ),
    ),
    "Sales": (
        _words("Enterprise, Mid-Market, SMB, EMEA, North America, APAC, Renewals, Sales Ops"),
        _words(
            "pricing calculator, deal desk, quote approvals, CRM pipeline, partner referrals, "
            "renewal playbook, discount policy, territory plan, sales deck, trial conversion"
        ),
        _metrics(
            "sales.discount_rate % decrease 5 35; sales.win_rate % increase 10 40; "
            "sales.pipeline_value EUR increase 200000 5000000; "
            "sales.cycle_length days decrease 20 120; sales.new_logos count increase 10 200; "
            "sales.average_deal_size EUR increase 5000 80000"
        ),
    ),
    "Support": (
        _words("Tier 1, Tier 2, Billing Support, Enterprise Support, Knowledge, Community"),
        _words(
            "ticket triage, macro library, help-center search, escalation path, chatbot, "
            "support portal, on-call handbook, refund process, status page, satisfaction survey"
        ),
        _metrics(
            "support.first_response_time hours decrease 2 24; "
            "support.resolution_time hours decrease 12 96; support.csat score increase 60 90; "
            "support.backlog count decrease 100 2000; support.self_service_rate % increase 20 60"
        ),
    ),
    "Marketing": (
        _words("Brand, Growth, Content, Events, Product Marketing, Lifecycle"),
        _words(
            "landing pages, webinar series, newsletter, ad campaigns, case studies, launch plan, "
            "referral programme, SEO content, trade-show booth, email nurture"
        ),
        _metrics(
            "marketing.qualified_leads count increase 100 5000; "
            "marketing.cost_per_lead EUR decrease 20 300; "
            "marketing.site_conversion % increase 1 8; marketing.brand_awareness % increase 5 40"
        ),
    ),
    "Product": (
        _words("Onboarding, Core Experience, Analytics, Collaboration, Admin, Pricing"),
        _words(
            "onboarding checklist, workspace settings, usage dashboard, sharing flow, "
            "admin console, pricing page, in-app tours, notification centre, template gallery"
        ),
        _metrics(
            "product.weekly_active_users count increase 1000 200000; "
            "product.activation_rate % increase 20 60; product.churn_rate % decrease 2 15; "
            "product.nps score increase 10 50; product.feature_adoption % increase 10 50"
        ),
    ),
    "Finance": (
        _words("Accounting, FP&A, Procurement, Billing, Treasury"),
        _words(
            "month-end close, expense tool, invoicing run, budget model, vendor contracts, "
            "revenue report, cash forecast, payroll export, tax filings, spend approvals"
        ),
        _metrics(
            "finance.burn_rate EUR decrease 100000 2000000; "
            "finance.days_sales_outstanding days decrease 30 90; "
            "finance.gross_margin % increase 40 80; finance.forecast_accuracy % increase 60 90"
        ),
    ),
    "People": (
        _words("Recruiting, People Ops, Learning, Workplace"),
        _words(
            "hiring pipeline, onboarding week, career ladder, engagement survey, benefits portal, "
            "interview guide, leadership training, relocation policy, performance reviews"
        ),
        _metrics(
            "people.time_to_hire days decrease 20 90; people.attrition_rate % decrease 5 25; "
            "people.engagement_score score increase 50 85; people.offer_acceptance % increase 50 90"
        ),
    ),
    "Operations": (
        _words("Site Reliability, Cloud, Networking, IT, Facilities"),
        _words(
            "alerting rules, backup jobs, cloud budget, incident reviews, laptop fleet, "
            "VPN access, capacity plan, database failover, log retention, runbooks"
        ),
        _metrics(
            "operations.uptime % increase 95 99.5; "
            "operations.cloud_cost EUR decrease 20000 500000; "
            "operations.incidents count decrease 10 200; "
            "operations.p95_latency ms decrease 100 1500"
        ),
    ),
    "Data": (
        _words("Data Platform, Analytics Engineering, Machine Learning, BI"),
        _words(
            "data warehouse, event tracking, churn model, metrics layer, BI dashboards, "
            "data catalogue, ETL jobs, recommendation model, experiment platform, data contracts"
        ),
        _metrics(
            "data.pipeline_freshness hours decrease 1 24; "
            "data.dashboard_adoption % increase 10 60; data.quality_score score increase 50 90; "
            "data.model_precision % increase 50 85"
        ),
    ),
    "Security": (
        _words("AppSec, Compliance, Identity, Detection"),
        _words(
            "access reviews, SSO rollout, penetration test, audit evidence, secrets vault, "
            "phishing drill, vulnerability scanner, incident playbook, SOC 2 controls"
        ),
        _metrics(
            "security.open_vulnerabilities count decrease 20 400; "
            "security.patch_time days decrease 3 45; security.phishing_click_rate % decrease 2 20; "
            "security.mfa_coverage % increase 50 95"
        ),
    ),
    "Design": (
        _words("Design Systems, Research, UX Writing, Brand Design"),
        _words(
            "component library, user interviews, icon set, accessibility audit, style guide, "
            "usability tests, design tokens, prototype kit, journey maps, empty states"
        ),
        _metrics(
            "design.task_success_rate % increase 50 85; "
            "design.usability_score score increase 50 80; "
            "design.accessibility_issues count decrease 20 300"
        ),
    ),
    "Legal": (
        _words("Commercial, Privacy, Corporate"),
        _words(
            "contract templates, privacy notices, data processing agreements, trademark filings, "
            "policy library, NDA workflow, vendor reviews, records of processing"
        ),
        _metrics(
            "legal.contract_turnaround days decrease 3 30; "
            "legal.open_matters count decrease 10 150; legal.templated_contracts % increase 30 80"
        ),
    ),
}
_SQUADS = _words(
    "Alpha, Bravo, Falcon, Harbor, Kestrel, Lynx, Nova, Orca, Pioneer, Quartz, Raven, Summit, "
    "Tidal, Vega, Zephyr"
)
_FIRST = _words(
    "Ada, Amir, Ana, Ben, Carla, Chen, Dara, David, Elena, Emeka, Farah, Felix, Grace, Hana, "
    "Ivan, Jada, Jonas, Kai, Lena, Liam, Maya, Mateo, Nadia, Noah, Olga, Omar, Priya, Quinn, "
    "Rosa, Sam, Sofia, Tariq, Uma, Victor, Wen, Yara, Yusuf, Zoe"
)
_LAST = _words(
    "Adams, Berg, Costa, Dubois, Eriksen, Fischer, Garcia, Haddad, Ito, Jensen, Kowalski, Lopez, "
    "Mensah, Nakamura, Novak, Okafor, Petrov, Quispe, Rossi, Santos, Schmidt, Silva, Tanaka, "
    "Umar, Varga, Wagner, Xu, Yilmaz, Zhang, Moreau"
)
_MISSIONS = _words(
    "Help every team see how its work moves the company forward, "
    "Make running a business simple for millions of small companies, "
    "Give every customer an answer they can trust within minutes"
)
_PRODUCTS = _words("Atlas, Beacon, Compass, Harbor, Lumen, Meridian, Orbit, Pulse, Summit, Vector")
_AUDIENCES = _words(
    "small teams, finance leaders, hospitals, online shops, field engineers, schools, "
    "logistics firms, public agencies, freelancers, retailers"
)
_ADJECTIVES = _words("simplest, fastest, most trusted, most affordable, default, friendliest")
_OUTCOMES = _words(
    "plan their week, close the books, ship software, serve customers, understand their data, "
    "get paid on time, hire well, stay compliant, run their stores, keep their systems up"
)
_STRATEGY_MOVES = _words(
    "Bet on, Invest in, Win with, Double down on, Rebuild around, Expand through, Focus on, "
    "Lead with"
)
_STRATEGY_THEMES = _words(
    "self-serve onboarding, a partner channel, usage-based pricing, the mid-market, "
    "enterprise-grade security, an open API ecosystem, AI-assisted workflows, regional data "
    "centres, a mobile-first experience, customer education, operational excellence, one data "
    "platform, vertical solutions, community-led growth"
)
_WHERE = _words(
    "in EMEA, in North America, in APAC, for enterprise accounts, for self-serve plans, "
    "for new customers, across all regions, for healthcare, for the public sector"
)
_RAISE = _words("Raise, Grow, Lift, Improve, Push up")
_CUT = _words("Cut, Reduce, Bring down, Shrink, Lower")
_VERBS = _words(
    "Migrate, Automate, Redesign, Instrument, Document, Refactor, Ship, Pilot, Audit, Harden, "
    "Speed up, Simplify, Localize, Benchmark, Clean up, Monitor, Prototype, Roll out, "
    "Consolidate, Load-test, Replace, Review"
)
_ASPECTS = ["", "the ", "the legacy ", "the new ", "the shared ", "the internal ", "our "]
_QUALIFIERS = [
    "",
    "",
    "",
    " (phase 2)",
    " before renewal season",
    " behind a feature flag",
    *(f" {w}" for w in _WHERE),
]
_STANDALONE = _words(
    "Keep-the-lights-on: on-call rotation, Regulatory requirement, Security patching, "
    "Customer escalation, Licence renewal, Internal tooling upkeep, Office move"
)

_STRATEGY_STATUS = _table("active 85, draft 7, done 5, archived 3")
_GOAL_STATUS = _table("active 72, draft 12, done 12, cancelled 2, archived 2")
_WORK_STATUS = {  # by the status of the work's goal: live work never lands under a done goal
    "active": _table("active 60, draft 15, done 19, cancelled 3, archived 3"),
    "draft": _table("active 20, draft 60, done 10, cancelled 6, archived 4"),
    "done": _table("done 85, cancelled 10, archived 5"),
    "cancelled": _table("cancelled 60, archived 20, done 20"),
    "archived": _table("archived 70, cancelled 10, done 20"),
}
_LIVE_STATUS = _table("active 80, draft 20")
_BELOW_BROKEN_STATUS = _table("active 70, draft 10, done 20")
_STRANDED_STATUS = _table("active 60, draft 15, cancelled 25")
_LIVE = frozenset({"draft", "active"})
_SECOND_GOAL = 0.5  # share of ordinary work that supports a second goal
_OUTSIDE_CIRCLE = 0.05  # share of goals owned outside the circle of their strategy's owner
_NO_PERIOD = 4  # index of "no period" in the pools by period


def _share(count: int, rate: float) -> int:
    return max(1, round(count * rate))


class _Company:
    """Builds the document section by section; every choice comes from ``self.rng``."""

    def __init__(self, n: int, rng: random.Random):
        self.rng = rng
        self.random = rng.random
        self.n = n
        self.v0 = 1
        self.s0 = self.v0 + max(2, round(n / 20000))
        self.g0 = self.s0 + max(3, round(n / 400))
        self.w0 = self.g0 + max(5, round(n / 20))
        self.w1 = n - max(2, round(n / 5000))  # market needs take the last places
        self.refs = [f"n-{i}" for i in range(n)]
        self.status: list[str] = []
        self.team: list[int] = []
        self.period: list[int] = []  # _NO_PERIOD when the node has none
        self.nodes: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.key_results: list[dict[str, Any]] = []

    def build(self) -> dict[str, list[dict[str, Any]]]:
        teams, people, periods = self._teams(), self._people(), self._periods()
        self._top()
        self._strategies()
        self._goals()
        self._declared_conflicts()
        self._metric_conflicts()
        self._work()
        self._needs()
        self._goal_dependencies()
        self._clarity_and_costs()
        return {
            "teams": teams,
            "people": people,
            "periods": periods,
            "nodes": self.nodes,
            "links": self.links,
            "key_results": self.key_results,
        }

    # organisation

    def _teams(self) -> list[dict[str, Any]]:
        """Leadership and a few departments on top, groups below them, squads below groups."""
        count = max(3, round(self.n / 200))
        others = [d for d in _DEPARTMENTS if d != "Leadership"]
        wanted = min(len(others), max(2, round(count**0.5 / 2)))
        top = ["Leadership", *self.rng.sample(others, wanted)]
        teams = [{"ref": f"t-{i}", "name": name, "parent": None} for i, name in enumerate(top)]
        self.dept = list(top)
        groups: list[int] = []
        taken: dict[str, int] = {}  # how many teams got each name so far
        for i in range(len(top), count):
            if groups and self.random() < 0.5:
                parent = self._pick(groups)
                name = f"{teams[parent]['name']} {self._pick(_SQUADS)}"
            else:
                parent = 1 + self._below(len(top) - 1)
                name = f"{top[parent]} {self._pick(_DEPARTMENTS[top[parent]][0])}"
                groups.append(i)
            taken[name] = taken.get(name, 0) + 1
            if taken[name] > 1:
                name = f"{name} {taken[name]}"
            self.dept.append(self.dept[parent])
            teams.append({"ref": f"t-{i}", "name": name, "parent": f"t-{parent}"})
        self.top = len(top)
        self.planners = [*range(1, len(top)), *groups]  # the teams that own strategies
        self.workers = list(range(count))  # the teams that own goals and work
        # A team's circle: the group it belongs to (a squad's group, or the team itself)
        # with that group's squads; a department's circle adds its groups. Goals mostly
        # come from the circle of their strategy's owner, and work from its goal's circle.
        parent_of = [None if t["parent"] is None else int(t["parent"][2:]) for t in teams]
        group_of = [
            t if parent_of[t] is None or t in groups else parent_of[t] for t in range(count)
        ]
        self.circle: list[list[int]] = [[] for _ in range(count)]
        for t in range(count):
            self.circle[group_of[t]].append(t)
        for g in groups:
            if parent_of[g] is not None:
                self.circle[parent_of[g]].append(g)
        self.circle = [self.circle[group_of[t]] or [t] for t in range(count)]
        self.team_refs = [team["ref"] for team in teams]
        self.team_names = [team["name"] for team in teams]
        self.objects = [_DEPARTMENTS[dept][1] for dept in self.dept]
        return teams

    def _people(self) -> list[dict[str, Any]]:
        """People in one team each (every team gets someone), a quarter of them in two."""
        teams = len(self.team_refs)
        self.members: list[list[str]] = [[] for _ in range(teams)]
        people = []
        for i in range(max(5, round(self.n / 20))):
            ref = f"p-{i}"
            joined = [i if i < teams else self._below(teams)]
            other = self._below(teams)
            if self.random() < 0.25 and other != joined[0]:
                joined.append(other)
            first, last = self._pick(_FIRST), self._pick(_LAST)
            email = None if self.random() < 0.03 else f"{first}.{last}.{i}@example.com".lower()
            teams_of = [self.team_refs[t] for t in joined]
            people.append(
                {"ref": ref, "name": f"{first} {last}", "email": email, "teams": teams_of}
            )
            for t in joined:
                self.members[t].append(ref)
        self.people_refs = [person["ref"] for person in people]
        return people

    def _periods(self) -> list[dict[str, Any]]:
        periods = []
        self.days: list[list[str]] = []
        for q in range(4):
            start = dt.date(_YEAR, 3 * q + 1, 1)
            end = dt.date(_YEAR + q // 3, (3 * q + 3) % 12 + 1, 1) - dt.timedelta(days=1)
            self.days.append([str(start + dt.timedelta(d)) for d in range((end - start).days + 1)])
            periods.append(
                {
                    "ref": f"q-{_YEAR}-{q + 1}",
                    "name": f"{_YEAR}-Q{q + 1}",
                    "start_date": str(start),
                    "end_date": str(end),
                }
            )
        self.period_refs = [*(period["ref"] for period in periods), None]
        return periods

    # building blocks

    def _pick(self, seq):
        """``rng.choice`` at a fraction of its cost: it is called a few times per node."""
        return seq[int(self.random() * len(seq))]

    def _below(self, k: int) -> int:
        return int(self.random() * k)

    def _owner(self, team: int) -> str | None:
        r = self.random()
        if r < 0.9:
            return self._pick(self.members[team])
        return self._pick(self.people_refs) if r < 0.96 else None

    def _node(self, kind: str, title: str, status: str, team: int, period: int, **extra) -> int:
        i = len(self.nodes)
        node = {
            "ref": self.refs[i],
            "kind": kind,
            "title": title,
            "status": status,
            "team": self.team_refs[team],
            "owner": self._owner(team),
            "period": self.period_refs[period],
            **extra,
        }
        self.nodes.append(node)
        self.status.append(status)
        self.team.append(team)
        self.period.append(period)
        return i

    def _supports(self, child: int, parent: int, weight: float | None = None) -> None:
        link = {"type": "supports", "source": self.refs[child], "target": self.refs[parent]}
        if weight is not None:
            link["weight"] = weight
        self.links.append(link)

    def _roles(self, ids: range, counts: dict[str, int]) -> dict[int, str]:
        """Pick distinct nodes among ``ids`` for each planted role."""
        picked = self.rng.sample(ids, sum(counts.values()))
        roles = {}
        for role, count in counts.items():
            roles.update((i, role) for i in picked[:count])
            del picked[:count]
        return roles

    # the graph, top down

    def _top(self) -> None:
        self._node(
            "mission",
            self._pick(_MISSIONS),
            "active",
            0,
            _NO_PERIOD,
            description="Why we exist: every vision and strategy serves it.",
        )
        for _ in range(self.v0, self.s0):
            product, audience = self._pick(_PRODUCTS), self._pick(_AUDIENCES)
            metric = self._pick(_DEPARTMENTS[self._pick(self.dept)][2])[0]
            title = (
                f"{product} is the {self._pick(_ADJECTIVES)} way for {audience} "
                f"to {self._pick(_OUTCOMES)}"
            )
            description = (
                f"Where {product} is heading for {audience}; progress is measured by {metric}; "
                "customers save time and the business grows with them."
            )
            team = 0 if self.random() < 0.5 else 1 + self._below(self.top - 1)
            status = "active" if self.random() < 0.9 else "draft"
            i = self._node("vision", title, status, team, _NO_PERIOD, description=description)
            self._supports(i, 0)

    def _strategies(self) -> None:
        ids = range(self.s0, self.g0)
        roles = self._roles(
            ids, {"broken": _share(len(ids), 0.01), "dropped": _share(len(ids), 0.008)}
        )
        self.planted_strategies: dict[str, list[int]] = {"broken": [], "dropped": []}
        self.live_strategies: list[int] = []
        self.strategies_by_dept: dict[str, list[int]] = {}
        for i in ids:
            role = roles.get(i)
            if role == "broken":
                status = self._pick(_LIVE_STATUS)
            elif role == "dropped":
                status = "cancelled"
            else:
                status = self._pick(_STRATEGY_STATUS) if self.live_strategies else "active"
            team = self._pick(self.planners)
            title = f"{self._pick(_STRATEGY_MOVES)} {self._pick(_STRATEGY_THEMES)}"
            if self.random() < 0.4:
                title += f" {self._pick(_WHERE)}"
            self._node(
                "strategy",
                title,
                status,
                team,
                _NO_PERIOD,
                description=f"A bet owned by {self.team_names[team]}.",
            )
            if role:
                self.planted_strategies[role].append(i)
            if role == "broken":
                continue  # nobody linked it to a vision: everything below is a broken chain
            vision = self.v0 + self._below(self.s0 - self.v0)
            self._supports(i, vision)
            other = self.v0 + self._below(self.s0 - self.v0)
            if self.random() < 0.2 and other != vision:
                self._supports(i, other, 0.5)
            if role is None and status in _LIVE:
                if self.live_strategies and self.random() < 0.03:
                    self._supports(i, self._pick(self.live_strategies), 0.5)
                self.live_strategies.append(i)
                self.strategies_by_dept.setdefault(self.dept[team], []).append(i)

    def _goals(self) -> None:
        ids = range(self.g0, self.w0)
        work = self.n - self.w0
        self.planted_work = {
            "unlinked": _share(work, 0.003),
            "standalone": _share(work, 0.004),
            "broken": _share(work, 0.003),
            "dropped": _share(work, 0.002),
            "stranded": _share(work, 0.0025),
            "period": _share(work, 0.003),
            "status": _share(work, 0.004),
        }
        counts = {"unlinked": _share(len(ids), 0.005)}
        counts.update(
            (role, _share(self.planted_work[role], 1 / 15))
            for role in ("broken", "dropped", "stranded")
        )
        roles = self._roles(ids, counts)
        ordinary = len(ids) - len(roles)
        self.goals: list[int] = []  # ordinary goals of any status: where ordinary work goes
        self.done_goals: list[int] = []
        self.live_goals: list[int] = []
        self.live_by_period: list[list[int]] = [[] for _ in range(5)]
        self.live_by_team_period: dict[tuple[int, int], list[int]] = {}
        self.live_key_results: list[tuple[int, tuple, int]] = []
        self.metric_keys: dict[int, set[str]] = {}
        self.planted_goals: dict[str, list[int]] = {"broken": [], "dropped": [], "stranded": []}
        for i in ids:
            role = roles.get(i)
            if role is None:
                if not self.goals:
                    status = "active"
                elif len(self.goals) == ordinary - 1 and not self.done_goals:
                    status = "done"
                else:
                    status = self._pick(_GOAL_STATUS)
            else:
                status = "cancelled" if role == "stranded" else self._pick(_LIVE_STATUS)
            anchor = self._pick(self.live_strategies)
            outside = self.random() < _OUTSIDE_CIRCLE
            team = self._pick(self.workers if outside else self.circle[self.team[anchor]])
            period = self._below(4) if self.random() < 0.9 else _NO_PERIOD
            metrics = self.rng.sample(_DEPARTMENTS[self.dept[team]][2], self._pick((1, 2, 2, 2, 3)))
            for metric in metrics:
                self._key_result(i, metric, metric[2])
            key, _, direction, _, _ = metrics[0]
            title = f"{self._pick(_RAISE if direction == 'increase' else _CUT)} "
            title += key.split(".")[1].replace("_", " ")
            r = self.random()
            if r < 0.4:
                title += f" for the {self._pick(self.objects[team])}"
            elif r < 0.7:
                title += f" {self._pick(_WHERE)}"
            extra = {}
            if period != _NO_PERIOD and self.random() < 0.5:
                extra["due_date"] = self.days[period][-1]
            if self.random() < 0.3:
                extra["description"] = f"Reviewed every week by {self.team_names[team]}."
            self._node("goal", title, status, team, period, **extra)
            if role in ("broken", "dropped"):
                self._supports(i, self._pick(self.planted_strategies[role]))
            elif role != "unlinked":
                self._goal_parents(i, team, status, period, anchor)
            if role in self.planted_goals:
                self.planted_goals[role].append(i)
            elif role is None:
                self.goals.append(i)
                if status == "done":
                    self.done_goals.append(i)
                elif status in _LIVE:
                    self.live_goals.append(i)
                    self.live_by_period[period].append(i)
                    self.live_by_team_period.setdefault((team, period), []).append(i)
                    self.live_key_results += ((i, metric, period) for metric in metrics)
                    self.metric_keys[i] = {metric[0] for metric in metrics}

    def _goal_parents(self, i: int, team: int, status: str, period: int, first: int) -> None:
        """One or two live strategies (the second of the department), now and then a vision,
        and for some a goal of the team."""
        near = self.strategies_by_dept.get(self.dept[team]) or self.live_strategies
        self._supports(i, first)
        r = self.random()
        if r < 0.4:
            second = self._pick(near)
            if second != first:
                self._supports(i, second, 0.5)
        elif r < 0.43:
            self._supports(i, self.v0 + self._below(self.s0 - self.v0), 0.5)
        if status in _LIVE and self.random() < 0.06:
            peers = self.live_by_team_period.get((team, period))
            if peers:
                self._supports(i, self._pick(peers), 0.5)

    def _key_result(self, goal: int, metric: tuple, direction: str) -> None:
        """A key result whose target lies beyond its start in ``direction``."""
        key, unit, _, low, high = metric
        start = self.rng.uniform(low, high)
        if direction == "decrease":
            target = start * self.rng.uniform(0.5, 0.9)
        elif unit == "%":
            target = start + (100 - start) * self.rng.uniform(0.1, 0.5)
        else:
            target = start * self.rng.uniform(1.1, 1.6)
        digits = 0 if unit in ("EUR", "count") else 2
        step = 10.0**-digits if direction == "increase" else -(10.0**-digits)
        start, target = _round(start, digits), _round(target, digits)
        if start == target:
            target = _round(start + step, digits)
        result = {
            "ref": f"kr-{len(self.key_results)}",
            "goal": self.refs[goal],
            "metric": key,
            "direction": direction,
            "start_value": start,
            "target_value": target,
            "unit": unit,
        }
        if self.random() < 0.75:
            current = start + (target - start) * self.rng.uniform(-0.1, 1.15)
            result["current_value"] = _round(current, digits)
        if self.random() < 0.15:
            result["weight"] = self._pick((0.5, 2))
        self.key_results.append(result)

    def _declared_conflicts(self) -> None:
        """``conflicts_with`` between live goals of different teams, one per pair at most."""
        live = self.live_goals
        wanted = _share(len(live), 0.01)
        pairs: set[tuple[int, int]] = set()
        for _ in range(wanted * 5):
            a, b = sorted((self._pick(live), self._pick(live)))
            if self.team[a] != self.team[b] and (a, b) not in pairs:
                pairs.add((a, b))
                link = {"type": "conflicts_with", "source": self.refs[b], "target": self.refs[a]}
                self.links.append(link)
                if len(pairs) == wanted:
                    break

    def _metric_conflicts(self) -> None:
        """Key results that pull a metric of another live goal the other way, same period.

        Each one conflicts with every live goal measuring that metric in the period, a
        number that grows with the company, so their count grows with its square root.
        """
        wanted = max(1, round(len(self.live_goals) ** 0.5 / 10))
        for _ in range(wanted * 5):
            if not wanted or not self.live_key_results:
                break
            goal, metric, period = self._pick(self.live_key_results)
            if period == _NO_PERIOD:
                other = self._pick(self.live_goals)
            else:
                other = self._pick(self.live_by_period[period] + self.live_by_period[_NO_PERIOD])
            if other != goal and metric[0] not in self.metric_keys[other]:
                self.metric_keys[other].add(metric[0])
                self._key_result(other, metric, _OPPOSITE[metric[2]])
                wanted -= 1

    def _work(self) -> None:
        """Work under goals; the hot loop of the generator, so it binds what it uses."""
        roles = self._roles(range(self.w0, self.w1), self.planted_work)
        if not self.done_goals:
            roles = {i: role for i, role in roles.items() if role != "status"}
        live_with_period = [g for g in self.live_goals if self.period[g] != _NO_PERIOD]
        if not live_with_period:
            roles = {i: role for i, role in roles.items() if role != "period"}
        random, pick, node, supports = self.random, self._pick, self._node, self._supports
        days, objects, goals, circle = self.days, self.objects, self.goals, self.circle
        teams, periods, statuses = self.team, self.period, self.status
        by_team_period = self.live_by_team_period
        by_dept = self.strategies_by_dept
        by_circle_period: dict[tuple[int, int], list[int]] = {}
        for (goal_team, goal_period), pool in by_team_period.items():
            key = (id(circle[goal_team]), goal_period)
            by_circle_period.setdefault(key, []).extend(pool)
        last_live: dict[int, int] = {}  # goal -> the latest live work under it
        n_goals, n_verbs, n_qual = len(goals), len(_VERBS), len(_QUALIFIERS)
        for i in range(self.w0, self.w1):
            role = roles.get(i)
            if role is not None:
                self._planted_work(i, role, live_with_period)
                continue
            goal = goals[int(random() * n_goals)]
            team = teams[goal] if random() < 0.85 else pick(circle[teams[goal]])
            period = goal_period = periods[goal]
            if period == _NO_PERIOD and random() < 0.5:
                period = int(random() * 4)
            status = _WORK_STATUS[statuses[goal]][int(random() * 100)]
            extra: dict[str, Any] = {}
            if period != _NO_PERIOD and random() < 0.6:
                extra["due_date"] = pick(days[period])
            if status in _LIVE and random() < 0.5:
                extra["reported_progress"] = round(random(), 2)
            if random() < 0.1:
                extra["description"] = f"Tracked on the {self.team_names[team]} board."
            verb, qualifier = _VERBS[int(random() * n_verbs)], _QUALIFIERS[int(random() * n_qual)]
            title = f"{verb} {pick(_ASPECTS)}{pick(objects[team])}{qualifier}"
            node("work", title, status, team, period, **extra)
            supports(i, goal)
            r = random()
            if r < _SECOND_GOAL:
                if r < _SECOND_GOAL / 2:
                    pool = by_team_period.get((teams[goal], goal_period))
                    if not pool or pool == [goal]:
                        pool = by_circle_period.get((id(circle[teams[goal]]), goal_period))
                else:
                    pool = by_circle_period.get((id(circle[teams[goal]]), goal_period))
                other = pick(pool) if pool else goal
                if other != goal:
                    supports(i, other, 0.5)
            elif r < _SECOND_GOAL + 0.05:
                supports(i, pick(by_dept.get(self.dept[team]) or self.live_strategies), 0.5)
            if status in _LIVE:
                if goal_period != _NO_PERIOD and goal in last_live and random() < 0.06:
                    supports(i, last_live[goal])  # a task of an earlier epic
                last_live[goal] = i
            if i > self.w0 and random() < 0.01:
                other = self.w0 + int(random() * (i - self.w0))
                if teams[other] != team:
                    source, target = self.refs[i], self.refs[other]
                    self.links.append({"type": "depends_on", "source": source, "target": target})

    def _planted_work(self, i: int, role: str, live_with_period: list[int]) -> None:
        """Work that an analysis should flag: an orphan, standalone, or in conflict."""
        goal = None
        team = self._pick(self.workers)
        period = self._below(4) if self.random() < 0.7 else _NO_PERIOD
        status = self._pick(_LIVE_STATUS)
        extra: dict[str, Any] = {}
        if role == "standalone":
            status = "active"
            extra = {"standalone": True, "standalone_reason": self._pick(_STANDALONE)}
        elif role in ("broken", "dropped", "stranded"):
            goal = self._pick(self.planted_goals[role])
            status = self._pick(_STRANDED_STATUS if role == "stranded" else _BELOW_BROKEN_STATUS)
        elif role == "status":
            goal = self._pick(self.done_goals)  # live work under a done goal
        elif role == "period":
            goal = self._pick(live_with_period)
            period = (self.period[goal] + 1 + self._below(3)) % 4
            extra["due_date"] = self._pick(self.days[period])
        if goal is not None:
            team = self.team[goal]
            if role != "period":
                period = self.period[goal]
        title = (
            f"{self._pick(_VERBS)} {self._pick(_ASPECTS)}{self._pick(self.objects[team])}"
            f"{self._pick(_QUALIFIERS)}"
        )
        self._node("work", title, status, team, period, **extra)
        if goal is not None:
            self._supports(i, goal)

    # market needs and dependencies between teams (DOMAIN.md sections 10 and 11)

    def _needs(self) -> None:
        """Needs of both types; each live vision serves a few (a quarter of them needs of one
        type only, a tenth none), some strategies and goals serve one, a tenth go unserved."""
        needs = list(range(self.w1, self.n))
        for k in range(len(needs)):
            need_type = _NEED_TYPES[k % 2]
            segment = self._pick(_AUDIENCES)
            want = self._pick(_NEED_WANTS[need_type])
            status = "active" if self.random() < 0.95 else "draft"
            title = f"{segment[0].upper()}{segment[1:]} want to {want}"
            self._node("need", title, status, 0, _NO_PERIOD, need_type=need_type, segment=segment)
        unserved = set(self.rng.sample(needs, max(1, len(needs) // 10)))
        pool = [i for i in needs if i not in unserved]
        by_type = {t: [i for i in pool if self.nodes[i]["need_type"] == t] for t in _NEED_TYPES}
        served: set[tuple[int, int]] = set()

        def serve(source: int, need: int) -> None:
            if (source, need) not in served:
                served.add((source, need))
                self.links.append(
                    {"type": "serves", "source": self.refs[source], "target": self.refs[need]}
                )

        for vision in range(self.v0, self.s0):
            r = self.random()
            if r < 0.1 or not pool:
                continue  # unanchored
            if r < 0.35 or not all(by_type.values()):
                one_type = by_type[_NEED_TYPES[self._below(2)]] or pool
                for _ in range(1 + self._below(2)):
                    serve(vision, self._pick(one_type))
            else:
                for kind in _NEED_TYPES:
                    serve(vision, self._pick(by_type[kind]))
        servers = self.live_strategies or list(range(self.v0, self.s0))
        for need in pool:
            if not any(target == need for _, target in served):
                serve(self._pick(servers), need)
        if pool:
            for strategy in self.live_strategies:
                if self.random() < 0.05:
                    serve(strategy, self._pick(pool))
            for goal in self.live_goals:
                if self.random() < 0.01:
                    serve(goal, self._pick(pool))

    def _clarity_and_costs(self) -> None:
        """What visions and goals say of their outcomes, and what work costs (DOMAIN.md 13
        and 14), chosen by position rather than drawn: the rest of the company is the same
        as before these fields existed, for any seed.

        Two visions in three state every part; three goals in four state both outcomes;
        one work item in four has a budget, most of those a spent amount too, a third over.
        """
        for i, node in enumerate(self.nodes):
            kind = node["kind"]
            if kind == "vision" and i % 3:
                node.setdefault(
                    "description",
                    f"Where {node['title'].lower()} takes the company in three years.",
                )
                node["user_outcome"] = "Customers reach what they came for sooner"
                node["business_outcome"] = "Revenue grows with retention"
                node["target_group"] = "The customers of this product"
                node["measure"] = "Weekly active customers"
            elif kind == "goal" and i % 4:
                node["user_outcome"] = "Customers notice the difference"
                node["business_outcome"] = "The team's metric moves"
            elif kind == "work" and i % 4 == 0:
                budget = 1_000 + (i % 97) * 100
                node["budget"] = budget
                if i % 5:
                    node["spent"] = round(budget * (0.4 + (i % 9) / 10), 2)

    def _goal_dependencies(self) -> None:
        """About one live goal in fifty waits on a live goal of another team."""
        goals = self.live_goals
        for goal in goals:
            if self.random() < 0.02:
                other = self._pick(goals)
                if self.team[other] != self.team[goal]:
                    self.links.append(
                        {
                            "type": "depends_on",
                            "source": self.refs[goal],
                            "target": self.refs[other],
                        }
                    )


_NEED_TYPES = ("functional", "psychological")
_NEED_WANTS = {
    "functional": _words(
        "save time on routine work, know where every order is, pay less for the same result, "
        "get it right the first time, find what they need fast, keep running without help"
    ),
    "psychological": _words(
        "feel safe, feel in control, be proud of their choice, trust who they work with, "
        "belong to a community, have peace of mind"
    ),
}
_OPPOSITE = {"increase": "decrease", "decrease": "increase"}


def _round(value: float, digits: int) -> float | int:
    return round(value) if digits == 0 else round(value, digits)
