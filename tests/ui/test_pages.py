"""Explorer pages: what they show, to whom, and how they answer bad input."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from tests.conftest import make_token
from tests.ui.explorer import csrf_token, sign_in

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def company(app, client):
    team = f.team(client, "Platform")
    owner = f.person(client, "Ada", email="ada@example.com", team_ids=[team["id"]])
    mission, vision, strategy = f.chain(client, "mission", "vision", "strategy")
    secret = f.node(
        client, "goal", title="Secret acquisition", visibility="private", team_id=team["id"]
    )
    f.link(client, secret, strategy)
    goal = f.node(client, "goal", title=f"Grow {SCRIPT}", owner_id=owner["id"])
    f.link(client, goal, strategy)
    kr = f.create(
        client,
        f"nodes/{goal['id']}/key-results",
        metric="signups",
        direction="increase",
        start_value=0,
        target_value=100,
    )
    client.post(f"/api/v1/key-results/{kr['id']}/check-ins", json={"value": 40, "note": "up"})
    work = f.node(client, "work", title="Offline mode", owner_id=owner["id"], team_id=team["id"])
    link = f.link(client, work, goal)
    hidden_child = f.node(client, "work", title="Under the secret", owner_id=owner["id"])
    f.link(client, hidden_child, secret)
    orphan = f.node(client, "work", title="Lonely task", owner_id=owner["id"])
    client.patch(f"/api/v1/nodes/{goal['id']}", json={"description": "now about retention"})
    return {
        "team": team,
        "owner": owner,
        "mission": mission,
        "strategy": strategy,
        "goal": goal,
        "secret": secret,
        "work": work,
        "link": link,
        "hidden_child": hidden_child,
        "orphan": orphan,
    }


@pytest.fixture
def admin_ui(app, admin_token):
    return sign_in(app, admin_token)


@pytest.fixture
def viewer_ui(app):
    return sign_in(app, make_token(app, "viewer"))


def test_pages_carry_the_content_security_policy(admin_ui, company):
    response = admin_ui.get(f"/ui/nodes/{company['work']['id']}")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert "style=" not in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["node", "search", "leaders", "person"])
def test_user_text_is_escaped_everywhere(admin_ui, company, page):
    url = {
        "node": f"/ui/nodes/{company['goal']['id']}",
        "search": "/ui/search?q=grow",
        "leaders": "/ui/leaders",
        "person": f"/ui/people/{company['owner']['id']}",
    }[page]

    text = admin_ui.get(url).get_data(as_text=True)

    assert SCRIPT not in text
    if page != "leaders":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize(
    ("query", "found"), [("OFFLINE", "Offline mode"), ("ada@", "Ada"), ("plat", "Platform")]
)
def test_search_finds_nodes_people_and_teams(admin_ui, company, query, found):
    text = admin_ui.get(f"/ui/search?q={query}").get_data(as_text=True)

    assert found in text


def test_the_thread_draws_the_path_in_level_order(admin_ui, company):
    text = admin_ui.get(f"/ui/nodes/{company['work']['id']}").get_data(as_text=True)

    order = [text.index(f'data-node-id="{company[k]["id"]}"') for k in ("mission", "goal", "work")]
    assert order == sorted(order)
    assert 'data-level="0"' in text and 'data-level="4"' in text


def test_a_viewer_sees_hidden_nodes_as_hidden_boxes(viewer_ui, company):
    text = viewer_ui.get(f"/ui/nodes/{company['hidden_child']['id']}").get_data(as_text=True)

    assert "Secret acquisition" not in text
    assert "hidden goal" in text
    assert 'class="box redacted"' in text


def test_a_hidden_node_page_is_404(viewer_ui, company):
    response = viewer_ui.get(f"/ui/nodes/{company['secret']['id']}")

    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Secret acquisition" not in response.get_data(as_text=True)


def test_a_goal_shows_its_key_results_and_check_ins(admin_ui, company):
    text = admin_ui.get(f"/ui/nodes/{company['goal']['id']}").get_data(as_text=True)

    assert '<progress id="kr-' in text and 'value="0.4"' in text
    assert "Latest check-ins" in text and "<td>up</td>" in text


def test_what_serves_a_node_expands_one_level(admin_ui, company):
    strategy = company["strategy"]["id"]
    page = admin_ui.get(f"/ui/nodes/{strategy}?expand={company['goal']['id']}")

    text = page.get_data(as_text=True)
    assert "Offline mode" in text and "1 below" in text


def test_impact_lists_what_would_be_orphaned(admin_ui, company):
    text = admin_ui.get(f"/ui/nodes/{company['goal']['id']}").get_data(as_text=True)

    assert "would orphan 1" in text and "Offline mode" in text


def test_the_owner_reviews_a_suspect_link(app, client, company):
    editor = sign_in(app, make_token(app, "editor", company["owner"]["id"]))
    url = f"/ui/nodes/{company['work']['id']}"
    assert "What did you hear?" in editor.get(url).get_data(as_text=True)

    response = editor.post(
        f"/ui/links/{company['link']['id']}/review",
        data={"csrf_token": csrf_token(editor, url), "restatement": "Retention needs it offline"},
    )

    assert response.status_code == 303
    assert client.get("/api/v1/analysis/suspect-links").get_json()["total"] == 0
    assert "No suspect link" in editor.get(url).get_data(as_text=True)


def test_a_person_says_what_they_heard_on_the_node_page(app, client, company):
    viewer = sign_in(app, make_token(app, "viewer", company["owner"]["id"]))
    url = f"/ui/nodes/{company['strategy']['id']}"
    assert "Nobody has said yet what they heard" in viewer.get(url).get_data(as_text=True)

    response = viewer.post(
        f"/ui/nodes/{company['strategy']['id']}/restatements",
        data={"csrf_token": csrf_token(viewer, url), "text": f"Rail first {SCRIPT}"},
    )
    blank = viewer.post(
        f"/ui/nodes/{company['strategy']['id']}/restatements",
        data={"csrf_token": csrf_token(viewer, url), "text": "   "},
    )
    sneaky = viewer.post(
        f"/ui/nodes/{company['strategy']['id']}/restatements", data={"text": "no token"}
    )

    assert response.status_code == 303 and blank.status_code == 422
    assert sneaky.status_code == 400
    page = viewer.get(url).get_data(as_text=True)
    assert "What people heard (1)" in page and "Ada" in page
    assert SCRIPT not in page and "&lt;script&gt;" in page
    listed = client.get(f"/api/v1/nodes/{company['strategy']['id']}/restatements").get_json()
    assert [item["text"] for item in listed["items"]] == [f"Rail first {SCRIPT}"]


def test_the_node_page_shows_intent_needs_and_costs(app, client, company):
    need = f.node(client, "need", title="Families travel light", need_type="functional")
    f.link(client, company["strategy"], need, "serves")
    client.patch(
        f"/api/v1/nodes/{company['work']['id']}",
        json={"user_outcome": "Tickets work without signal", "budget": 5000, "spent": 6200},
    )
    admin = sign_in(app, make_token(app))

    page = admin.get(f"/ui/nodes/{company['work']['id']}").get_data(as_text=True)

    assert "For the user" in page and "Tickets work without signal" in page
    assert "5,000" in page and "6,200 spent" in page
    assert "Customer needs served" in page and "Families travel light" in page


def test_a_review_without_csrf_token_changes_nothing(app, client, company):
    editor = sign_in(app, make_token(app, "editor", company["owner"]["id"]))

    response = editor.post(
        f"/ui/links/{company['link']['id']}/review", data={"restatement": "sneaky"}
    )

    assert response.status_code == 400
    assert client.get("/api/v1/analysis/suspect-links").get_json()["total"] == 1


def test_a_viewer_may_not_review(viewer_ui, client, company):
    url = f"/ui/nodes/{company['work']['id']}"
    assert "What did you hear?" not in viewer_ui.get(url).get_data(as_text=True)

    response = viewer_ui.post(
        f"/ui/links/{company['link']['id']}/review",
        data={"csrf_token": csrf_token(viewer_ui, url), "restatement": "no"},
    )

    assert response.status_code == 403 and response.mimetype == "text/html"
    assert client.get("/api/v1/analysis/suspect-links").get_json()["total"] == 1


def test_the_person_page_shows_each_node_with_its_path(admin_ui, company):
    text = admin_ui.get(f"/ui/people/{company['owner']['id']}").get_data(as_text=True)

    assert "Offline mode" in text and "Lonely task" in text
    assert "it supports nothing above it" in text
    assert 'aria-label="Path of Offline mode"' in text


def test_the_leaders_page_charts_and_lists_findings(admin_ui, company):
    text = admin_ui.get("/ui/leaders").get_data(as_text=True)

    assert "Orphans by reason" in text and "Conflicts by type" in text
    assert "Lonely task" in text and "Suspect links (1)" in text
    assert 'role="img"' in text


def test_the_leaders_page_lists_silos_unanchored_unclear_and_overruns(
    admin_ui, viewer_ui, client, company
):
    for title in ("Late one", "Late two", "Late three"):
        late = f.node(client, "work", title=title, due_date="2020-01-01")
        f.link(client, late, company["goal"])

    text = admin_ui.get("/ui/leaders").get_data(as_text=True)
    hidden = viewer_ui.get("/ui/leaders/clarity").get_data(as_text=True)

    assert "Silo teams (1)" in text and "Platform</a>" in text
    assert "Unanchored visions (1)" in text and "serves no market need itself" in text
    assert "Unclear visions and goals" in text and "who benefits" in text
    assert "Overrun hotspots" in text and "3 of 3 dated work items late" in text
    assert "Late two" in text
    assert "A shared language (0)" in text
    assert "Secret acquisition" not in hidden and "hidden goal" in hidden
    assert admin_ui.get("/ui/leaders/overruns").status_code == 200


def test_the_leaders_page_lists_words_defined_many_ways(admin_ui, client, company):
    term = f.create(client, "terms", name="Offline")
    for text in ("Without signal.", "Without an account."):
        other = f.team(client, text[:-1])
        f.create(client, f"terms/{term['id']}/definitions", team_id=other["id"], text=text)

    text = admin_ui.get("/ui/leaders/language").get_data(as_text=True)

    assert "<strong>Offline</strong>" in text and "2 different definitions" in text
    assert "Offline mode" in text  # the work item whose title uses the word


def test_a_finding_list_paginates(admin_ui, client, company):
    for index in range(30):
        f.node(client, "work", title=f"loose {index}")

    first = admin_ui.get("/ui/leaders/orphans").get_data(as_text=True)
    second = admin_ui.get("/ui/leaders/orphans?offset=25").get_data(as_text=True)

    assert "1\u201325 of 31" in first and "Next 25" in first
    assert "26\u201331 of 31" in second and "loose 29" in second


def test_the_node_page_offers_downloads(admin_ui, company):
    page = admin_ui.get(f"/ui/nodes/{company['work']['id']}").get_data(as_text=True)
    assert f"/ui/export?root={company['work']['id']}&amp;format=dot" in page

    response = admin_ui.get(f"/ui/export?root={company['work']['id']}&format=dot")

    assert response.status_code == 200 and response.mimetype == "text/vnd.graphviz"
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/ui/nodes/999999", 404),
        ("/ui/nodes/abc", 404),
        ("/ui/people/999999", 404),
        ("/ui/teams/999999", 404),
        ("/ui/leaders/nothing", 404),
        ("/ui/no-such-page", 404),
        ("/ui/search?offset=-1", 400),
        ("/ui/search?q=" + "x" * 201, 400),
        ("/ui/leaders/orphans?offset=1e3", 400),
        ("/ui/nodes/1?expand=%00", 400),
        ("/ui/export?format=pdf", 400),
        ("/ui/export?root=0", 400),
        ("/ui/export?format=mermaid&depth=x", 400),
    ],
)
def test_bad_input_gets_a_readable_page(admin_ui, company, url, status):
    response = admin_ui.get(url)

    assert response.status_code == status
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "<h1>" in text and "Traceback" not in text


def test_a_wrong_method_is_a_405_page(admin_ui):
    response = admin_ui.put("/ui/leaders")

    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("page", ["/ui/", "/ui/leaders", "node", "/ui/search?q=o", "/ui/sign-in"])
def test_no_page_asks_another_host_for_anything(admin_ui, company, page):
    url = f"/ui/nodes/{company['goal']['id']}" if page == "node" else page
    text = admin_ui.get(url).get_data(as_text=True)

    references = re.findall(r'(?:src|href|action)="([^"]*)"', text)
    assert references and all(ref.startswith(("/ui/", "#")) for ref in references), references
    assert "<script" not in text
