"""A small demo company with the orphans, conflicts and changes worth finding."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from models import ApiToken, Link, Node, Period, Person, Team
from models.base import utcnow
from service.auth.principal import Principal
from service.auth.tokens import create_token, revoke_token
from service.domain import key_results, links, nodes, org, review
from service.domain.changes import Changes

Q4 = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
Q1 = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


DEMO_TOKEN_NAME = "demo"


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
        data = {"kind": kind, "title": title, "ref": f"demo:{key}", **fields}
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
