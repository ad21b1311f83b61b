"""Members of one organisation reading and acting, for locust (run by bench/load.py).

Each simulated user is one signed-in member of the plan that bench/_load_setup.py wrote
(``CAIRN_LOAD_PLAN``), and runs ``CAIRN_LOAD_TASK_RATE`` tasks a second on average, arriving at
random (a Poisson process per member, so members never act in step). Two tasks in three
read one page; one in three acts through a page's own form: it opens the form's page, posts
the form (the write, which must answer with a redirect) and opens the page it is sent to, so
one request in five is a write. The writes are thanks, comments on posts, responses to open
requests and confirmations of commitments made to the member; thanks stay within each
member's daily limit and the pair cap, so a 429 is a real error.
"""

import itertools
import json
import os
import random
import re
import time
from typing import Any

from locust import FastHttpUser, task
from requests.cookies import create_cookie

PLAN: dict[str, Any] = json.loads(open(os.environ["CAIRN_LOAD_PLAN"]).read())  # noqa: SIM115
TASK_RATE = float(os.environ.get("CAIRN_LOAD_TASK_RATE", "0.5"))
_next_member = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
#: What a refused form says: Django's CSRF page's reason, or the first form error.
REASON = re.compile(r'(?:<pre>|class="errorlist[^"]*"[^>]*><li>)([^<]{1,160})')


class Member(FastHttpUser):
    def wait_time(self) -> float:
        """Start the next task at the member's next arrival: each member's tasks arrive as a
        Poisson process of ``TASK_RATE`` a second, independent of the others and of how long
        answers take (an open load, as from people who do not wait for each other). A fixed
        rate per member kept all of them in step, so every member clicked in the same
        instant, twice a second: bursts no organisation produces."""
        self.next_at += self.rng.expovariate(TASK_RATE)
        return max(0.0, self.next_at - time.monotonic())

    def on_start(self) -> None:
        self.me: dict[str, Any] = PLAN["members"][next(_next_member) % len(PLAN["members"])]
        self.rng = random.Random(self.me["id"])
        self.next_at = time.monotonic()
        host = self.host.split("//", 1)[1].split(":", 1)[0] if self.host else "127.0.0.1"
        cookie = create_cookie(PLAN["session_cookie"], self.me["cookie"], domain=host, path="/")
        self.client.cookiejar.set_cookie(cookie)
        self.written = 0

    # Reading -----------------------------------------------------------------------------------

    def read(self, path: str, name: str) -> str:
        """GET a page; it fails unless it answers 200 (not a redirect to sign in)."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response.text or ""

    def pick(self, key: str) -> Any:
        values = self.me[key]
        return self.rng.choice(values) if values else None

    @task(40)
    def home(self) -> None:
        self.read("/home/", "/home/")

    @task(25)
    def profile(self) -> None:
        self.read(f"/people/{self.pick('handles')}/", "/people/[handle]/")

    @task(20)
    def post(self) -> None:
        if self.me["posts"]:
            self.read(f"/posts/{self.pick('posts')}/", "/posts/[id]/")

    @task(20)
    def help_request(self) -> None:
        if self.me["requests"]:
            self.read(f"/requests/{self.pick('requests')}/", "/requests/[id]/")

    @task(15)
    def people(self) -> None:
        self.read("/people/", "/people/")

    @task(8)
    def people_named(self) -> None:
        word = self.rng.choice(PLAN["search_words"])
        self.read(f"/people/?q={word}", "/people/?q=")

    @task(15)
    def requests(self) -> None:
        self.read("/requests/", "/requests/")

    @task(12)
    def posts(self) -> None:
        self.read("/posts/", "/posts/")

    @task(10)
    def notifications(self) -> None:
        self.read("/notifications/", "/notifications/")

    @task(8)
    def communities(self) -> None:
        self.read("/communities/", "/communities/")

    @task(8)
    def community(self) -> None:
        if self.me["communities"]:
            self.read(f"/communities/{self.pick('communities')}/", "/communities/[id]/")

    @task(10)
    def search(self) -> None:
        word = self.rng.choice(PLAN["search_words"])
        self.read(f"/search/?q={word}", "/search/?q=")

    @task(6)
    def commitments(self) -> None:
        self.read("/commitments/", "/commitments/")

    @task(3)
    def api_people(self) -> None:
        self.read("/api/v1/people?limit=20", "/api/v1/people")

    # Acting: 100 of the 300 task weights ------------------------------------------------------

    def act(self, page: str, page_name: str, action: str, name: str, data: dict[str, str]) -> None:
        """Open a form's page, post the form, and open the page it redirects to."""
        html = self.read(page, page_name)
        token = CSRF.search(html)
        if token is None:
            return
        self.written += 1
        data = {"csrfmiddlewaretoken": token.group(1), **data}
        with self.client.post(
            action, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                reason = REASON.search(response.text or "")
                said = reason.group(1).strip() if reason else ""
                response.failure(f"status {response.status_code}, not a redirect: {said}"[:200])
                return
            location = response.headers.get("Location", "")
        if location.startswith("/"):
            self.read(location, f"after {name}")

    def unique(self, what: str) -> str:
        return f"{what} #{self.written} from the load test, {self.rng.random():.9f}"

    @task(30)
    def comment(self) -> None:
        post = self.pick("posts")
        if post is None:
            return
        path = f"/posts/{post}/"
        self.act(path, "/posts/[id]/", path, "comment", {"body": self.unique("A comment")})

    @task(30)
    def respond(self) -> None:
        asked = self.pick("open_requests")
        if asked is None:
            self.comment()
            return
        path = f"/requests/{asked}/"
        body = self.unique("Happy to help")
        self.act(path, "/requests/[id]/", path, "respond", {"body": body})

    @task(25)
    def thank(self) -> None:
        if self.me["thanks_left"] <= 0 or not self.me["thank"]:
            self.comment()
            return
        self.me["thanks_left"] -= 1
        path = f"/thanks/{self.me['thank'].pop()}/"
        self.act(path, "/thanks/[handle]/", path, "thank", {"note": self.unique("Thank you")})

    @task(15)
    def confirm(self) -> None:
        if not self.me["confirm"]:
            self.respond()
            return
        commitment = self.me["confirm"].pop()
        page = f"/commitments/{commitment}/"
        action = f"{page}confirm/"
        self.act(page, "/commitments/[id]/", action, "confirm", {"outcome": "kept"})
