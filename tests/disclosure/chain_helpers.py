"""An issuer tree and published candidate lists for the level-by-level tests.

Lists are imported from real CSV text (identifiers become masks and HMACs) and published
through the review workflow (tests/factories.py), the only road to the public."""

import io

from django.utils import timezone

from disclosure.imports import import_file
from disclosure.models import CandidateListPage, Issuer, IssuerLevel, ListBasis, PolicyPage
from tests.factories import add_disclosure

HEADER = "序号,姓名,性别,考生号,所在中学,照顾类别,加分分值\r\n"


def make_tree() -> dict[str, Issuer]:
    def make(key, name, level, parent=None):
        tree[key], _ = Issuer.objects.update_or_create(
            name=name, defaults={"level": level, "parent": parent}
        )

    tree: dict[str, Issuer] = {}
    make("province", "河南省教育考试院", IssuerLevel.PROVINCE)
    make("city", "洛阳市招生考试中心", IssuerLevel.CITY, tree["province"])
    make("county", "洛阳市西工区招生办公室", IssuerLevel.COUNTY, tree["city"])
    make("sibling", "洛阳市涧西区招生办公室", IssuerLevel.COUNTY, tree["city"])
    make("school", "洛阳市第四高级中学", IssuerLevel.SCHOOL, tree["county"])
    make("other_city", "郑州市招生考试中心", IssuerLevel.CITY, tree["province"])
    return tree


def candidate_dataset(rows):
    """rows: (name, exam number or "", school, category, bonus)."""
    text = HEADER + "".join(
        f"{i},{name},男,{exam},{school},{category},{bonus}\r\n"
        for i, (name, exam, school, category, bonus) in enumerate(rows, start=1)
    )
    return import_file(io.BytesIO(text.encode("utf-8-sig")), "名单.csv", "candidate_list")


def coming_admission_year() -> int:
    """The gaokao a list published now serves: county and school notices are kept only until
    31 August of their admission year, so from September on lists are for the next year."""
    today = timezone.localdate()
    return today.year + 1 if today.month >= 9 else today.year


def policy_of_each(tree: dict[str, Issuer]) -> dict[str, PolicyPage]:
    """A published policy of each issuer of the tree but the platform's, titled by its issuer."""
    return {
        key: add_disclosure(
            PolicyPage,
            title=f"{tree[key].name}招生政策",
            issuer=tree[key],
            admission_year=coming_admission_year(),
        )
        for key in ("province", "city", "county", "sibling", "school", "other_city")
    }


def candidate_list(issuer, title, rows, *, bases=(), publish=True, **fields):
    fields.setdefault("list_type", "bonus")
    fields.setdefault("admission_year", coming_admission_year())
    return add_disclosure(
        CandidateListPage,
        title=title,
        issuer=issuer,
        dataset=candidate_dataset(rows),
        basis_lists=[ListBasis(basis=basis) for basis in bases],
        publish=publish,
        **fields,
    )


COUNTY_ROWS = [
    ("张三", "26410301000001", "洛阳市第四高级中学", "少数民族", "5"),
    ("李四", "26410301000002", "洛阳市第四高级中学", "烈士子女", "10"),
    ("王五", "", "洛阳市第一高级中学", "归侨子女", "5"),
]
SIBLING_ROWS = [("赵六", "26410305000001", "洛阳市第二外国语学校", "少数民族", "5")]
# The city drops 李四 and adds 孙七; 张三 and 王五 are kept (王五 by name and school).
CITY_ROWS = [
    ("张三", "26410301000001", "洛阳市第四高级中学", "少数民族", "5"),
    ("王五", "", "洛阳市第一高级中学", "归侨子女", "5"),
    ("赵六", "26410305000001", "洛阳市第二外国语学校", "少数民族", "5"),
    ("孙七", "26410305000009", "洛阳市第二外国语学校", "烈士子女", "10"),
]
