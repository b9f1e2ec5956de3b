"""The walker: GETs every URL, reads the forms it is shown, posts them mutated, and keeps the
count of requests, URLs and 5xx answers. A refused request must change nothing."""

import os
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from hypothesis import HealthCheck, Phase, given, settings

from .forms import Form, forms_in
from .mutations import mutated_query, mutated_request
from .state import snapshot

# Examples per form (hypothesis). `make test` runs the small default; FUZZ_EXAMPLES=50 by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
LARGE = EXAMPLES > 3
# Forms mutated per role: all of them at the larger count, a sample in `make test`.
FORMS_PER_ROLE = None if LARGE else 6


@dataclass
class Totals:
    requests: int = 0
    server_errors: int = 0
    urls: set = field(default_factory=set)
    forms: int = 0


TOTALS = Totals()


@dataclass
class Walker:
    client: object
    role: str
    problems: list = field(default_factory=list)
    forms: dict = field(default_factory=dict)

    def call(self, method, path, body=b"", content_type="application/octet-stream", what=""):
        before = snapshot() if method == "POST" else None
        response = self.client.generic(method, path, body, content_type=content_type)
        TOTALS.requests += 1
        TOTALS.urls.add(f"{method} {urlsplit(path).path}")
        status = response.status_code
        if status >= 500:
            TOTALS.server_errors += 1
            self.problems.append(f"{self.role}: {method} {path[:200]} [{what}] -> {status}")
        elif before is not None and not (300 <= status < 400):
            changed = snapshot().differences(before)
            if changed:
                self.problems.append(
                    f"{self.role}: {method} {path[:200]} [{what}] -> {status} changed {changed}"
                )
        return response

    def get(self, path, what="walk"):
        response = self.call("GET", path, what=what)
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            self.read_forms(path, response.content.decode("utf-8", "replace"))
        return response

    def read_forms(self, path, html):
        for form in forms_in(html):
            action = urljoin(path, form.action or path)
            if urlsplit(action).netloc or "logout" in action:
                continue
            key = (form.method, urlsplit(action).path, tuple(f.name for f in form.fields))
            self.forms.setdefault(key, (action, form))

    def mutate(self, action: str, form: Form):
        TOTALS.forms += 1
        fields, submits = form.data(), form.submits()
        path = urlsplit(action).path

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(request=mutated_request(fields, submits))
        def post(request):
            self.call("POST", action, request.body, request.content_type, request.what)

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(query=mutated_query(fields))
        def query(query):
            self.call("GET", f"{path}?{query[0]}", what=query[1])

        (post if form.method == "post" else query)()

    def mutate_forms(self):
        forms = sorted(self.forms.values(), key=lambda item: item[0])
        if FORMS_PER_ROLE is not None and len(forms) > FORMS_PER_ROLE:
            step = len(forms) / FORMS_PER_ROLE
            forms = [forms[int(i * step)] for i in range(FORMS_PER_ROLE)]
        for action, form in forms:
            self.mutate(action, form)
