"""Benchmark: parse + validate + HMAC of a generated admission-results CSV.

    python scripts/bench_parse.py [--rows 1000000] [--runs 3] [--no-id-numbers] [--file …]

Generates the file once in the temp folder (valid rows: 14-digit exam numbers and, unless
--no-id-numbers, ID numbers with correct check digits: the optional column, the costly
case), then times `validate_file` over it in a fresh child process per run, consuming every
clean row as an importer would. Prints each run's rows/s by the wall clock and by the
process's CPU time (which a busy shared machine disturbs less), its peak memory, and the
medians. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫宇浩然子涵欣怡"
REGIONS = ("410102", "410202", "410302", "410702", "411402", "411502", "411602", "410105")
INSTITUTIONS = (
    ("10001", "北京大学"),
    ("10003", "清华大学"),
    ("10459", "郑州大学"),
    ("10475", "河南大学"),
    ("10284", "南京大学"),
)
MAJORS = ("法学", "经济学", "临床医学", "计算机科学与技术", "土木工程", "汉语言文学")


def id_number(rng: random.Random, serial: int) -> str:
    region = rng.choice(REGIONS)
    birth = f"2007{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{region}{birth}{serial % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + CHECK[total % 11]


def generate(path: Path, rows: int, with_id_numbers: bool) -> None:
    rng = random.Random(2025)  # noqa: S311 - test data
    header = ["考生号", "姓名", "身份证号", "批次", "科类", "院校代码", "院校名称", "专业名称"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header if with_id_numbers else header[:2] + header[3:])
        for i in range(rows):
            code, institution = rng.choice(INSTITUTIONS)
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
            row = [
                f"2541{i:010d}",
                name,
                id_number(rng, i),
                "本科批",
                rng.choice(("物理类", "历史类")),
                code,
                institution,
                rng.choice(MAJORS),
            ]
            if not with_id_numbers:
                del row[2]
            writer.writerow(row)


def one_run(path: Path) -> dict:
    from disclosure.importing import validate_file

    start, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as fileobj:
        validation = validate_file(
            fileobj, path.name, "admission_results", hmac_key=b"bench-key-0123456789abcdef"
        )
        rows = sum(1 for _ in validation)
        report = validation.report
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.ok, report.as_text()[:2000]
    return {
        "rows": rows,
        "seconds": elapsed,
        "rows_per_second": rows / elapsed,
        "rows_per_cpu_second": rows / cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-id-numbers", action="store_true", help="leave out 身份证号")
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    suffix = "_no_id" if args.no_id_numbers else ""
    default = Path(tempfile.gettempdir()) / f"sunshine_admission_results_{args.rows}{suffix}.csv"
    path = args.file or default
    if args.child:
        print(json.dumps(one_run(path)))
        return
    if not path.exists():
        print(f"generating {path} ({args.rows} rows)…", flush=True)
        generate(path, args.rows, with_id_numbers=not args.no_id_numbers)
    print(f"{path}: {path.stat().st_size / 1024 / 1024:.1f} MB")
    speeds, cpu_speeds = [], []
    for run in range(1, args.runs + 1):
        child = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--child", "--file", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(child.stdout)
        speeds.append(result["rows_per_second"])
        cpu_speeds.append(result["rows_per_cpu_second"])
        print(
            f"run {run}: {result['rows']} rows in {result['seconds']:.2f} s = "
            f"{result['rows_per_second']:,.0f} rows/s "
            f"({result['rows_per_cpu_second']:,.0f} per CPU second), "
            f"peak RSS {result['peak_rss_mb']:.0f} MB"
        )
    print(
        f"median: {statistics.median(speeds):,.0f} rows/s "
        f"({statistics.median(cpu_speeds):,.0f} per CPU second)"
    )


if __name__ == "__main__":
    main()
