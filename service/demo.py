"""A small demo company with the orphans, conflicts and changes worth finding."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from models import ApiToken, Link, Node, Period, Person, Team
from models.base import utcnow
from service.auth.principal import Principal
from service.auth.tokens import create_token, revoke_token
from service.domain import key_results, links, nodes, org, restatements, review, terms
from service.domain.changes import Changes

Q4 = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
Q1 = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


DEMO_TOKEN_NAME = "demo"

# What the demo's visions and goals say of their outcomes (DOMAIN.md 13), given as they are
# made: a change to them later would ask every child to review its link again. The planner
# vision leaves its measure and beneficiaries unsaid; the other goals say nothing of theirs.
CLARITY = {
    "v-plan": {
        "user_outcome": "Families spend less time and stress deciding what to cook",
        "business_outcome": "Planner families stay subscribed for years",
    },
    "v-deliver": {
        "description": "Every order reaches the family's door within the hour they chose.",
        "user_outcome": "Families get groceries when the day allows",
        "business_outcome": "Fewer refunds and more repeat orders",
        "target_group": "Working families in the cities we serve",
        "measure": "Share of orders delivered inside their slot",
    },
    "g-active": {
        "user_outcome": "Families plan their week in minutes",
        "business_outcome": "More families renew",
    },
    "g-slots": {
        "user_outcome": "Orders arrive in the slot families chose",
        "business_outcome": "Fewer refunds",
    },
    "g-support": {
        "description": "Every customer question answered within the hour it is asked.",
        "user_outcome": "Families get answers while it still matters",
        "business_outcome": "Fewer cancellations",
    },
}


def load_demo(engine: Engine, actor: str = "demo") -> tuple[str, str]:
    """Load the demo company unless the database already holds nodes.

    Returns what happened and a new admin token for the demo's curl lines. The token
    replaces the one an earlier run printed (revoked), so runs do not pile up admin tokens.
    """
    with Session(engine, expire_on_commit=False) as current:
        changes = Changes(current, Principal.system(actor))
        existing = current.scalar(select(func.count()).select_from(Node))
        if existing:
            said = (
                f"The database already holds {existing} nodes; the demo company was not loaded "
                "again (`throughline demo --reset` starts afresh)."
            )
        else:
            built = _DemoBuilder(changes)
            built.build()
            said = (
                f"Loaded the demo company: {len(built.ids)} nodes, {built.link_count} links, "
                f"{len(built.teams)} teams, {len(built.people)} people."
            )
        earlier = current.scalars(
            select(ApiToken.id).where(
                ApiToken.name == DEMO_TOKEN_NAME,
                ApiToken.role == "admin",
                ApiToken.revoked_at.is_(None),
            )
        ).all()
        for token_id in earlier:
            revoke_token(changes, token_id)
        _token, secret = create_token(changes, "admin", name=DEMO_TOKEN_NAME)
        current.commit()
        return said, secret


class _DemoBuilder:
    def __init__(self, changes: Changes):
        self.changes = changes
        self.ids: dict[str, int] = {}
        self.teams: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.periods: dict[str, int] = {}
        self.link_count = 0
        # Due dates are set from the day the demo is loaded, so that what is late stays late.
        self.today = utcnow().date()

    def team(self, name: str, parent: str | None = None) -> None:
        parent_id = self.teams[parent] if parent else None
        self.teams[name] = org.create(self.changes, Team, {"name": name, "parent_id": parent_id}).id

    def person(self, name: str, email: str, *teams: str) -> None:
        data = {"name": name, "email": email, "team_ids": [self.teams[t] for t in teams]}
        self.people[name] = org.create(self.changes, Person, data).id

    def period(self, name: str, span: tuple[dt.date, dt.date]) -> None:
        data = {"name": name, "start_date": span[0], "end_date": span[1]}
        self.periods[name] = org.create(self.changes, Period, data).id

    def node(
        self,
        key: str,
        kind: str,
        title: str,
        *,
        team=None,
        owner=None,
        period=None,
        parents=(),
        **fields,
    ) -> None:
        data = {
            "kind": kind,
            "title": title,
            "ref": f"demo:{key}",
            **CLARITY.get(key, {}),
            **fields,
        }
        if team:
            data["team_id"] = self.teams[team]
        if owner:
            data["owner_id"] = self.people[owner]
        if period:
            data["period_id"] = self.periods[period]
        self.ids[key] = nodes.create_node(self.changes, data).id
        for parent in parents:
            self.link(key, parent)

    def link(self, child: str, parent: str, link_type: str = "supports", **fields) -> None:
        data = {"type": link_type, "source_id": self.ids[child], "target_id": self.ids[parent]}
        links.create_link(self.changes, {**data, **fields})
        self.link_count += 1

    def key_result(
        self,
        goal: str,
        metric: str,
        direction: str,
        start: float,
        target: float,
        unit: str,
        check_ins=(),
        days_ago: int = 0,
    ) -> None:
        data = {
            "metric": metric,
            "direction": direction,
            "start_value": start,
            "target_value": target,
            "unit": unit,
            "title": metric.replace(".", " "),
        }
        kr = key_results.create_key_result(self.changes, self.ids[goal], data)
        for value, confidence, note in check_ins:
            entry = key_results.check_in(
                self.changes, kr.id, {"value": value, "confidence": confidence, "note": note}
            )
            if days_ago:  # demo history: this key result has gone quiet
                entry.at = kr.created_at = kr.last_check_in_at = utcnow() - dt.timedelta(
                    days=days_ago
                )

    def build(self) -> None:
        self._organisation()
        self._direction()
        self._goals_and_work()
        self._trouble()
        self._market_and_teams()
        self._clarity_and_overruns()
        self._language()

    def _organisation(self) -> None:
        self.team("Engineering")
        self.team("Platform", "Engineering")
        self.team("Growth", "Engineering")
        for name in ("Product", "Sales", "Finance", "Support"):
            self.team(name)
        self.person("Ada Moreno", "ada@example.com", "Product")
        self.person("Ben Okafor", "ben@example.com", "Platform")
        self.person("Chloe Tan", "chloe@example.com", "Growth")
        self.person("Dev Patel", "dev@example.com", "Sales")
        self.person("Eva Lund", "eva@example.com", "Finance")
        self.person("Farid Haddad", "farid@example.com", "Support", "Growth")
        self.period("2026-Q4", Q4)
        self.period("2027-Q1", Q1)

    def _direction(self) -> None:
        self.node(
            "mission",
            "mission",
            "Make healthy eating effortless for every family",
            owner="Ada Moreno",
        )
        self.node(
            "v-plan",
            "vision",
            "The meal planner families open every day",
            description="Destination: the default weekly planner. Measured by weekly "
            "active families. Benefit: less waste and stress; retention for us.",
            team="Product",
            owner="Ada Moreno",
            parents=["mission"],
        )
        self.node(
            "v-deliver",
            "vision",
            "Groceries at the door within the hour",
            team="Product",
            owner="Ada Moreno",
            parents=["mission"],
        )
        self.node(
            "s-personal",
            "strategy",
            "Personalised plans from what families like",
            team="Growth",
            owner="Chloe Tan",
            parents=["v-plan"],
        )
        self.node(
            "s-reliable",
            "strategy",
            "A platform that never misses a delivery slot",
            team="Platform",
            owner="Ben Okafor",
            parents=["v-deliver"],
        )
        self.node(
            "s-margin",
            "strategy",
            "Healthy unit economics on every basket",
            team="Finance",
            owner="Eva Lund",
            parents=["v-deliver"],
        )
        self.node(
            "s-share",
            "strategy",
            "Win market share in three new cities",
            team="Sales",
            owner="Dev Patel",
            parents=["v-deliver"],
        )

    def _goals_and_work(self) -> None:
        self.node(
            "g-active",
            "goal",
            "Grow weekly active families",
            team="Growth",
            owner="Chloe Tan",
            period="2026-Q4",
            parents=["s-personal"],
        )
        self.key_result(
            "g-active",
            "growth.weekly_active_families",
            "increase",
            12000,
            20000,
            "families",
            [(13500, 0.6, "Autumn campaign landed"), (15100, 0.7, "Recipes of the week helped")],
        )
        self.node(
            "g-slots",
            "goal",
            "Deliver 99.5% of orders in their slot",
            team="Platform",
            owner="Ben Okafor",
            period="2026-Q4",
            parents=["s-reliable"],
        )
        self.key_result(
            "g-slots",
            "delivery.on_time_rate",
            "increase",
            0.96,
            0.995,
            "ratio",
            [(0.975, 0.8, "Routing fix shipped")],
        )
        self.node(
            "g-discount-down",
            "goal",
            "Reduce the average discount rate",
            team="Finance",
            owner="Eva Lund",
            period="2026-Q4",
            parents=["s-margin"],
        )
        self.key_result("g-discount-down", "sales.discount_rate", "decrease", 0.18, 0.10, "ratio")
        self.node(
            "g-discount-up",
            "goal",
            "Raise launch discounts to win new cities",
            team="Sales",
            owner="Dev Patel",
            period="2026-Q4",
            parents=["s-share"],
        )
        self.key_result("g-discount-up", "sales.discount_rate", "increase", 0.18, 0.25, "ratio")
        self.node(
            "g-support",
            "goal",
            "Answer every family within an hour",
            team="Support",
            owner="Farid Haddad",
            period="2026-Q4",
            parents=["s-reliable"],
        )
        self.key_result(
            "g-support",
            "support.first_response_time",
            "decrease",
            240,
            60,
            "minutes",
            [(150, 0.5, "Rota extended")],
            days_ago=20,
        )
        self.node(
            "w-recs",
            "work",
            "Ship taste-based recipe recommendations",
            team="Growth",
            owner="Chloe Tan",
            period="2026-Q4",
            parents=["g-active"],
            reported_progress=0.4,
        )
        self.node(
            "w-onboarding",
            "work",
            "Redesign onboarding around a first plan",
            team="Product",
            owner="Ada Moreno",
            period="2026-Q4",
            parents=["g-active"],
            status="done",
        )
        self.node(
            "w-routing",
            "work",
            "Move slot routing to the new solver",
            team="Platform",
            owner="Ben Okafor",
            period="2026-Q4",
            parents=["g-slots", "g-support"],
            reported_progress=0.7,
        )
        self.node(
            "w-pricing",
            "work",
            "Price floor per basket in checkout",
            team="Finance",
            owner="Eva Lund",
            period="2026-Q4",
            parents=["g-discount-down"],
        )
        self.node(
            "w-launch",
            "work",
            "Launch offers in Lyon, Porto and Graz",
            team="Sales",
            owner="Dev Patel",
            period="2026-Q4",
            parents=["g-discount-up"],
        )
        self.node(
            "w-macros",
            "work",
            "Show macros on every recipe card",
            team="Support",
            owner="Farid Haddad",
            period="2026-Q4",
            parents=["g-support"],
        )
        # Work may support work of its own level: the macros feed the recommendations.
        self.link(
            "w-macros", "w-recs", rationale="Families trust recommendations whose macros they see"
        )
        self.node(
            "w-oncall",
            "work",
            "Keep the on-call rotation staffed",
            team="Platform",
            owner="Ben Okafor",
            standalone=True,
            standalone_reason="Keep-the-lights-on work every team carries.",
        )

    def _trouble(self) -> None:
        # An initiative nobody linked to anything: an orphan.
        self.node(
            "w-darkmode",
            "work",
            "Dark mode for the web app",
            team="Growth",
            owner="Chloe Tan",
            period="2026-Q4",
        )
        # A goal and its work under a strategy that was cancelled: inactive_path orphans.
        self.node(
            "s-kiosk",
            "strategy",
            "In-store planning kiosks",
            team="Product",
            owner="Ada Moreno",
            parents=["v-plan"],
            status="cancelled",
        )
        self.node(
            "g-kiosk",
            "goal",
            "Pilot kiosks in five stores",
            team="Product",
            owner="Ada Moreno",
            period="2026-Q4",
            parents=["s-kiosk"],
        )
        self.node(
            "w-kiosk",
            "work",
            "Kiosk hardware shortlist",
            team="Platform",
            owner="Ben Okafor",
            parents=["g-kiosk"],
        )
        # A strategy nobody tied to a vision, with a goal below: broken_chain orphans.
        self.node(
            "s-b2b", "strategy", "Sell plans to company canteens", team="Sales", owner="Dev Patel"
        )
        self.node(
            "g-b2b",
            "goal",
            "Sign three canteen pilots",
            team="Sales",
            owner="Dev Patel",
            period="2027-Q1",
            parents=["s-b2b"],
        )
        # Live work under a goal that is already done: a status conflict.
        self.node(
            "g-migrate",
            "goal",
            "Migrate payments to the new provider",
            team="Platform",
            owner="Ben Okafor",
            period="2026-Q4",
            parents=["s-reliable"],
            status="done",
        )
        self.node(
            "w-refunds",
            "work",
            "Port refund flows",
            team="Platform",
            owner="Ben Okafor",
            period="2026-Q4",
            parents=["g-migrate"],
        )
        # Work planned for next quarter under this quarter's goal: a period conflict.
        self.node(
            "w-tracking",
            "work",
            "Live courier tracking",
            team="Platform",
            owner="Ben Okafor",
            period="2027-Q1",
            parents=["g-slots"],
        )
        # Two strategies that pull against each other, said out loud.
        self.link(
            "s-margin",
            "s-share",
            "conflicts_with",
            rationale="Margin targets cap the discounts that new cities need.",
        )
        self.link("w-launch", "w-pricing", "depends_on")
        # The delivery vision was restated after its strategies linked to it: suspect links.
        vision = self.ids["v-deliver"]
        nodes.update_node(
            self.changes,
            vision,
            {
                "title": "Groceries at the door within the hour, in every city we serve",
            },
        )
        reviewed = review.suspect_statement(None, Link.id).where(
            Link.target_id == vision, Link.source_id == self.ids["s-reliable"]
        )
        link_id = self.changes.session.scalar(reviewed)
        review.review_link(
            self.changes,
            link_id,
            "Reliable slots are what 'within the hour' "
            "means in every city, so this strategy still carries the vision.",
        )

    # -- market and team alignment (DOMAIN.md sections 10 and 11) ---------------------------

    def _market_and_teams(self) -> None:
        """Needs of both types, a one-sided vision, an unserved need, a silo, a late wait."""
        for key, need_type, title, segment in (
            ("n-plan", "functional", "Plan a week of meals in minutes", "Busy parents"),
            ("n-slot", "functional", "Groceries when the day allows", "Working families"),
            ("n-parent", "psychological", "Feel like a good parent at dinner", "Young families"),
            ("n-fresh", "psychological", "Trust that food arrives fresh", "Working families"),
        ):
            self.node(key, "need", title, need_type=need_type, segment=segment, owner="Ada Moreno")
        self.link("v-plan", "n-plan", "serves")
        self.link("v-plan", "n-parent", "serves")
        self.link("s-personal", "n-parent", "serves")
        # Delivery serves the functional need only (one-sided); nobody serves n-fresh.
        self.link("v-deliver", "n-slot", "serves")
        # Research works on its own below the planner vision: a silo.
        self.team("Research")
        self.person("Gus Ivanov", "gus@example.com", "Research")
        self.node(
            "s-lab",
            "strategy",
            "A test kitchen that learns what families cook",
            team="Research",
            owner="Gus Ivanov",
            parents=["v-plan"],
        )
        self.node(
            "g-lab",
            "goal",
            "Cook and score 200 family recipes",
            team="Research",
            owner="Gus Ivanov",
            period="2026-Q4",
            parents=["s-lab"],
        )
        self.node(
            "w-lab",
            "work",
            "Run the weekly tasting panel",
            team="Research",
            owner="Gus Ivanov",
            period="2026-Q4",
            parents=["g-lab"],
        )
        # Growth's recipe box waits on Platform packaging due after it: a late dependency.
        self.node(
            "w-box",
            "work",
            "Launch the family recipe box",
            team="Growth",
            owner="Chloe Tan",
            period="2026-Q4",
            due_date=self.today + dt.timedelta(days=9),
            parents=["g-active"],
        )
        self.node(
            "w-cold",
            "work",
            "Cold-chain packaging for recipe boxes",
            team="Platform",
            owner="Ben Okafor",
            period="2026-Q4",
            due_date=self.today + dt.timedelta(days=21),
            parents=["g-slots"],
        )
        self.link("w-box", "w-cold", "depends_on")

    # -- clarity and overruns (DOMAIN.md sections 13 and 14) --------------------------------

    def _clarity_and_overruns(self) -> None:
        """A vision missing two parts (``CLARITY``), restated four ways; a goal two people
        restate alike;
        a strategy where most work is late (a hotspot) beside one whose lateness is confined
        to one goal (that goal is the hotspot)."""
        # Five people, five answers: the planner vision heard four ways.
        for person, text in (
            ("Ada Moreno", "Families open the planner every single day."),
            ("Chloe Tan", "Recommend recipes people enjoy cooking."),
            ("Eva Lund", "Cut food waste and grocery costs."),
            ("Dev Patel", "Sell subscriptions in more cities."),
        ):
            self.restate(person, "v-plan", text)
        self.restate("Ben Okafor", "g-slots", "Deliver nearly every order inside its slot.")
        self.restate("Farid Haddad", "g-slots", "Nearly every order delivered inside its slot.")
        # Delivery runs late under the reliability strategy: a hotspot.
        self.change("w-routing", due_date=self.day(-30), budget=40_000, spent=52_000)
        self.change("w-tracking", due_date=self.day(-10), budget=15_000, spent=9_000)
        self.change("w-refunds", due_date=self.day(-5))
        self.change("w-macros", due_date=self.day(15))
        self.change("w-pricing", due_date=self.day(30))
        self.change("w-launch", due_date=self.day(40))
        self.change("w-recs", due_date=self.day(20))
        # Done ahead of its due date: on time.
        self.change("w-onboarding", due_date=self.day(5))
        # Under the personalisation strategy only one goal runs late.
        self.node(
            "g-winback",
            "goal",
            "Win back families who stopped planning",
            team="Growth",
            owner="Chloe Tan",
            period="2026-Q4",
            parents=["s-personal"],
        )
        for key, title, days in (
            ("w-winback-mail", "Send the we-miss-you recipe mail", -12),
            ("w-pause", "Let families pause instead of cancel", -8),
            ("w-exit-survey", "Ask leaving families why", -3),
        ):
            self.node(
                key,
                "work",
                title,
                team="Growth",
                owner="Chloe Tan",
                period="2026-Q4",
                due_date=self.day(days),
                parents=["g-winback"],
            )

    # -- a shared language (DOMAIN.md section 12) --------------------------------------------

    def _language(self) -> None:
        """ "Who is our customer?" answered three ways; a metric two teams use that no term
        defines (the discount rate, of Finance and of Sales); one metric everyone defines
        alike."""
        customer = terms.create_term(
            self.changes, {"name": "Customer", "aliases": ["customers", "client"]}
        )
        for team, text in (
            ("Finance", "The household that pays for the subscription."),
            ("Product", "The family member who plans the week's meals."),
            ("Support", "Whoever contacts us when an order goes wrong."),
        ):
            terms.create_definition(
                self.changes, customer.id, {"team_id": self.teams[team], "text": text}
            )
        active = terms.create_term(
            self.changes,
            {"name": "Weekly active family", "metrics": ["growth.weekly_active_families"]},
        )
        for team, text in (
            (None, "A family that opened a plan in the last seven days."),
            ("Growth", "A family that opened a plan in the last seven days"),  # alike, no dot
        ):
            terms.create_definition(
                self.changes,
                active.id,
                {"team_id": self.teams[team] if team else None, "text": text},
            )

    def change(self, key: str, **fields) -> None:
        nodes.update_node(self.changes, self.ids[key], fields)

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def restate(self, person: str, key: str, text: str) -> None:
        """``person`` says ``key`` back in their own words, as they would over the API."""
        principal = Principal(role="viewer", actor=f"demo:{person}", person_id=self.people[person])
        restatements.restate(Changes(self.changes.session, principal), self.ids[key], text)
