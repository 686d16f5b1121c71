"""The explorer in a real browser: the scenario of a person and a leader, and its safety."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def company(server, tokens):
    """A small company: a chain to the mission, a suspect link, an orphan, a private goal."""
    admin = tokens()
    server.http.headers["Authorization"] = f"Bearer {admin}"

    def post(path, **body):
        response = server.request("POST", "/api/v1/" + path, json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    team = post("teams", name="Mobile")
    person = post("people", name="Ada Lovelace", email="ada@example.com", team_ids=[team["id"]])
    chain = [post("nodes", kind="mission", title="Make travel effortless")]
    for kind, title in (
        ("vision", "Every trip planned in one place"),
        ("strategy", "Win families"),
        ("goal", "Families book twice as often"),
    ):
        chain.append(post("nodes", kind=kind, title=title, team_id=team["id"]))
        post("links", source_id=chain[-1]["id"], target_id=chain[-2]["id"])
    work = post(
        "nodes", kind="work", title="Ship offline mode", owner_id=person["id"], team_id=team["id"]
    )
    post("links", source_id=work["id"], target_id=chain[-1]["id"], rationale="Trains")
    chain.append(work)
    post("nodes", kind="work", title="Tidy the <script> folder", owner_id=person["id"])
    secret = post("nodes", kind="goal", title="Acquire a rival quietly", visibility="private")
    post("links", source_id=secret["id"], target_id=chain[2]["id"])
    below = post("nodes", kind="work", title="Draft the term sheet")
    post("links", source_id=below["id"], target_id=secret["id"])
    server.request(
        "PATCH", f"/api/v1/nodes/{chain[3]['id']}", json={"description": "Now about retention"}
    )
    return {
        "chain": chain,
        "work": work,
        "below": below,
        "editor": tokens("editor", person["id"]),
        "viewer": tokens("viewer"),
    }


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    yield page
    context.close()


def accessible(page) -> None:
    """No serious or critical axe-core violation on the page."""
    results = Axe().run(page)
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]
    assert violations == [], page.url


def sign_in(page, token: str) -> None:
    page.goto("/ui/")
    assert "/ui/sign-in" in page.url
    accessible(page)
    page.get_by_label("API token or JWT").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/ui/")


def test_a_person_follows_the_thread_and_a_leader_finds_the_break(page, company, screenshots):
    page.goto("/ui/sign-in")
    page.screenshot(path=screenshots / "sign-in.png", full_page=True)
    sign_in(page, company["editor"])
    accessible(page)
    page.screenshot(path=screenshots / "home.png", full_page=True)

    page.get_by_label("Search nodes, people and teams").fill("offline")
    page.get_by_role("button", name="Search").click()
    accessible(page)
    page.screenshot(path=screenshots / "search.png", full_page=True)
    page.get_by_role("link", name="Ship offline mode").click()
    page.wait_for_url(f"**/ui/nodes/{company['work']['id']}")

    boxes = page.locator("svg.thread g.box")
    drawn = [
        (
            float(boxes.nth(i).locator("rect").get_attribute("y")),
            boxes.nth(i).get_attribute("data-node-id"),
        )
        for i in range(boxes.count())
    ]
    assert [node_id for _, node_id in sorted(drawn)] == [str(n["id"]) for n in company["chain"]]
    accessible(page)
    page.screenshot(path=screenshots / "node.png", full_page=True)

    page.get_by_label("What did you hear?").fill("Retention grows when trips work offline")
    page.get_by_role("button", name="Review the link").click()
    assert page.get_by_text("the link is reviewed").is_visible()
    assert page.get_by_text("No suspect link").is_visible()
    accessible(page)

    page.get_by_role("link", name="Leaders").click()
    page.wait_for_url("**/ui/leaders")
    accessible(page)
    page.screenshot(path=screenshots / "leaders.png", full_page=True)
    orphans = page.get_by_role("region", name="Orphans")
    orphans.get_by_role("link", name="Tidy the <script> folder").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tidy the <script> folder"
    assert page.get_by_text("it supports nothing above it").is_visible()
    accessible(page)

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out").is_visible()
    page.goto(f"/ui/nodes/{company['work']['id']}")
    assert "/ui/sign-in" in page.url


def test_a_viewer_sees_hidden_nodes_as_hidden_boxes(page, company, screenshots):
    sign_in(page, company["viewer"])

    page.goto(f"/ui/nodes/{company['below']['id']}")

    hidden = page.locator("svg.thread g.box.redacted")
    assert hidden.count() == 1
    assert hidden.locator("text").text_content() == "hidden goal"
    assert "Acquire a rival" not in page.content()
    accessible(page)
    page.screenshot(path=screenshots / "hidden.png", full_page=True)


def test_a_form_without_its_csrf_token_is_refused(page, company):
    sign_in(page, company["editor"])

    response = page.request.post("/ui/sign-out", form={"other": "field"})

    assert response.status == 400
    assert "CSRF" in response.text()
    page.goto("/ui/")
    assert page.url.endswith("/ui/")  # still signed in


def test_person_page_and_error_pages_are_accessible(page, company, screenshots):
    sign_in(page, company["editor"])
    page.get_by_role("link", name="Your work", exact=True).click()
    assert page.get_by_role("heading", name="Ship offline mode").is_visible()
    accessible(page)
    page.screenshot(path=screenshots / "person.png", full_page=True)

    response = page.goto("/ui/nodes/999999")

    assert response.status == 404
    accessible(page)
    page.screenshot(path=screenshots / "not-found.png", full_page=True)
