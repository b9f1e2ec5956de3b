"""Benchmark: parse + validate + HMAC of a generated admission-results CSV.

    python scripts/bench_parse.py [--rows 1000000] [--runs 3] [--no-id-numbers] [--file …]

Generates the file once in the temp folder (valid rows: 14-digit exam numbers and, unless
--no-id-numbers, ID numbers with correct check digits: the optional column, the costly
case), then times `validate_file` over it in a fresh process per run, consuming every clean
row as an importer would. Prints each run's rows/s by the wall clock and by the process's
CPU time (which a busy shared machine disturbs less), its peak memory, and the medians.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红娥玲芬燕彬鑫宇浩然子涵欣怡"
REGIONS = ("410102", "410202", "410302", "410702", "411402", "411502", "411602", "410105")
INSTITUTIONS = (
    ("10001", "北京大学"),
    ("10003", "清华大学"),
    ("10459", "郑州大学"),
    ("10475", "河南大学"),
    ("10284", "南京大学"),
)
MAJORS = ("法学", "经济学", "临床医学", "计算机科学与技术", "土木工程", "汉语言文学")
HEADER = ["考生号", "姓名", "身份证号", "批次", "科类", "院校代码", "院校名称", "专业名称"]


def pick(sequence, i: int, salt: int):
    """A fixed, well-spread choice for row i (no random module: reproducible test data)."""
    return sequence[(i * 2654435761 + salt * 40503) % 4294967291 % len(sequence)]


def id_number(i: int) -> str:
    body = f"{pick(REGIONS, i, 1)}2007{1 + i % 12:02d}{1 + i // 12 % 28:02d}{i % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + CHECK[total % 11]


def generate(path: Path, rows: int, with_id_numbers: bool) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER if with_id_numbers else HEADER[:2] + HEADER[3:])
        for i in range(rows):
            code, institution = pick(INSTITUTIONS, i, 2)
            name = pick(SURNAMES, i, 3) + pick(GIVEN, i, 4) + ("" if i % 3 else pick(GIVEN, i, 5))
            row = [
                f"2541{i:010d}",
                name,
                id_number(i),
                "本科批",
                pick(("物理类", "历史类"), i, 6),
                code,
                institution,
                pick(MAJORS, i, 7),
            ]
            if not with_id_numbers:
                del row[2]
            writer.writerow(row)


def one_run(path: Path) -> dict:
    """Runs in a fresh process, so peak memory is this run's alone."""
    from disclosure.importing import validate_file

    start, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as fileobj:
        validation = validate_file(
            fileobj, path.name, "admission_results", hmac_key=b"bench-key-0123456789abcdef"
        )
        rows = sum(1 for _ in validation)
        report = validation.report
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if not report.ok:
        raise SystemExit(report.as_text()[:2000])
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
    args = parser.parse_args()
    suffix = "_no_id" if args.no_id_numbers else ""
    default = Path(tempfile.gettempdir()) / f"sunshine_admission_results_{args.rows}{suffix}.csv"
    path = args.file or default
    if not path.exists():
        print(f"generating {path} ({args.rows} rows)…", flush=True)
        generate(path, args.rows, with_id_numbers=not args.no_id_numbers)
    print(f"{path}: {path.stat().st_size / 1024 / 1024:.1f} MB", flush=True)
    speeds, cpu_speeds = [], []
    context = multiprocessing.get_context("spawn")
    for run in range(1, args.runs + 1):
        with context.Pool(1, maxtasksperchild=1) as pool:
            result = pool.apply(one_run, (path,))
        speeds.append(result["rows_per_second"])
        cpu_speeds.append(result["rows_per_cpu_second"])
        print(
            f"run {run}: {result['rows']} rows in {result['seconds']:.2f} s = "
            f"{result['rows_per_second']:,.0f} rows/s "
            f"({result['rows_per_cpu_second']:,.0f} per CPU second), "
            f"peak RSS {result['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    print(
        f"median: {statistics.median(speeds):,.0f} rows/s "
        f"({statistics.median(cpu_speeds):,.0f} per CPU second)"
    )


if __name__ == "__main__":
    main()
