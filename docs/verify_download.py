#!/usr/bin/env python3
"""Check that a published list is exactly what the platform's ledger recorded.

Needs Python 3.9+ and the `cryptography` package (pip install cryptography); nothing
else. It trusts nothing the server computes: it recomputes every hash itself.

    python verify_download.py --server https://gaokao.example.cn --disclosure 42 \\
        [--csv 名单.csv] [--public-key BASE64] [--trusted-checkpoint old.json] \\
        [--save-checkpoint new.json]

Steps (docs/verify.md explains each):
 1. the latest checkpoint is signed by a platform key (pin it with --public-key, once per key
    after a rotation) and was signed while that key was in use (its published validity range);
 2. the disclosure's latest published ledger entry re-hashes to its entry_hash;
 3. its content document re-hashes to the entry's content_sha256;
 4. the list's CSV re-hashes to the document's dataset public_sha256 (and row count);
 5. the entry is in the Merkle tree whose root the checkpoint signs (inclusion proof);
 6. with --trusted-checkpoint: that older checkpoint is a prefix of the latest one.
Exit 0 if all hold; 1 naming the first step that fails; 2 on a usage or network error.
"""

import argparse
import base64
import csv
import hashlib
import io
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ENTRY_FIELDS = ("seq", "at", "event", "disclosure_id", "version", "content_sha256", "prev_hash")
CONTENT_EVENTS = ("published", "corrected")
CHECKPOINT_HEADER = "sunshine-ledger-checkpoint/v1"
# The public CSV's header row per kind of list, in the order the hash uses.
HEADERS = {
    "candidate_list": [
        "序号", "姓名", "性别", "考生号", "身份证号", "所在中学", "照顾类别", "资格条件",
        "测试项目", "测试成绩", "合格标准", "拟录高校", "拟录专业", "加分分值", "备注",
    ],
    "quota_plan": [
        "院校代码", "院校名称", "专业代码", "专业名称", "科类", "批次", "计划数", "学制",
        "学费", "备注",
    ],
    "admission_results": [
        "考生号", "姓名", "身份证号", "批次", "科类", "院校代码", "院校名称", "专业名称",
    ],
}  # fmt: skip


class Failed(Exception):
    """A check did not hold: the data is not what the ledger recorded."""


# Hashing: the same recipes as docs/adr/0003-ledger-hashing.md


def canonical_json(value) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_hash(entry: dict) -> str:
    return sha256_hex(canonical_json({k: entry[k] for k in ENTRY_FIELDS}))


def csv_public_sha256(text: str, kind: str):
    """(hash, rows) of a public CSV: one canonical JSON line per row, header excluded."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None)
    if header != HEADERS[kind]:
        raise Failed(f"CSV header is not that of a {kind} list: {header}")
    digest, count = hashlib.sha256(), 0
    for row in reader:
        if len(row) != len(header):
            raise Failed(f"CSV row {count + 1} has {len(row)} cells, not {len(header)}")
        values = [cell[1:] if cell.startswith("'") else cell for cell in row]
        line = json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"
        digest.update(line.encode("utf-8"))
        count += 1
    return digest.hexdigest(), count


# RFC 6962 / RFC 9162 Merkle proofs


def _leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list, root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, _leaf(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: list) -> bool:
    """RFC 9162 section 2.1.4.2 (equal sizes: empty proof, equal roots)."""
    if not 0 < old <= new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


# Checkpoints


def key_id(public_key_b64: str) -> str:
    return hashlib.sha256(base64.b64decode(public_key_b64, validate=True)).hexdigest()[:16]


class Keys:
    """The keys to check checkpoints with: pinned ones, or the server's, with validity ranges.

    The server lists every key that ever signed, oldest first, each with `valid_from` and
    `valid_until` (null while in use). A checkpoint must name one of the keys, verify under it,
    and carry a time inside its range: a retired key signs nothing after its end.
    """

    def __init__(self, listing: dict, pinned: list | None) -> None:
        keys = listing.get("keys") or [
            {"key_id": listing["key_id"], "public_key": listing["public_key"]}
        ]
        self.ranges = {key["key_id"]: key for key in keys}
        self.pinned = {key_id(text): text for text in pinned} if pinned else None

    def for_checkpoint(self, checkpoint: dict) -> str:
        kid = checkpoint["key_id"]
        if self.pinned is not None:
            if kid not in self.pinned:
                raise Failed(f"checkpoint {checkpoint['size']} names key {kid}, not ours")
            text = self.pinned[kid]
        elif kid in self.ranges:
            text = self.ranges[kid]["public_key"]
        else:
            raise Failed(f"checkpoint {checkpoint['size']} names key {kid}, not ours")
        verify_checkpoint(text, checkpoint)
        published = self.ranges.get(kid, {})
        if published.get("public_key", text) != text:
            raise Failed(f"the server publishes another public key under the id {kid}")
        until, since = published.get("valid_until"), published.get("valid_from")
        if until is not None and checkpoint["time"] > until:
            raise Failed(
                f"checkpoint of size {checkpoint['size']} was signed at {checkpoint['time']} by "
                f"key {kid}, retired at {until}: refused / 密钥停用后签署的检查点无效"
            )
        if since is not None and checkpoint["time"] < since:
            raise Failed(
                f"checkpoint of size {checkpoint['size']} was signed at {checkpoint['time']}, "
                f"before key {kid} came into use ({since}) / 检查点早于密钥启用时间"
            )
        return kid


def verify_checkpoint(public_key_b64: str, checkpoint: dict) -> None:
    raw = base64.b64decode(public_key_b64, validate=True)
    if hashlib.sha256(raw).hexdigest()[:16] != checkpoint["key_id"]:
        raise Failed(f"checkpoint {checkpoint['size']} names key {checkpoint['key_id']}, not ours")
    message = (
        f"{CHECKPOINT_HEADER}\n{checkpoint['size']}\n{checkpoint['root']}\n{checkpoint['time']}\n"
    ).encode()
    try:
        signature = base64.b64decode(checkpoint["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)
    except (InvalidSignature, ValueError) as error:
        raise Failed(
            f"checkpoint of size {checkpoint['size']}: the signature does not verify "
            "(forged or altered) / 检查点签名无法验证"
        ) from error


# HTTP


class Server:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def get(self, path: str) -> bytes:
        url = path if path.startswith(("http://", "https://")) else self.base + path
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"only http(s) URLs: {url}")
        request = urllib.request.Request(url, headers={"User-Agent": "sunshine-verify/1"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - checked above
            return response.read()

    def json(self, path: str):
        return json.loads(self.get(path).decode("utf-8"))


def latest_content_entry(server: Server, disclosure: int, size: int) -> dict:
    url, found = f"/api/v1/ledger/?disclosure={disclosure}", None
    while url:
        page = server.json(url)
        for entry in page["entries"]:
            if entry["seq"] <= size and entry["event"] in CONTENT_EVENTS:
                found = entry
        url = page["next"]
    if found is None:
        raise Failed(f"no published version of disclosure {disclosure} under the checkpoint")
    return found


def check_one_checkpoint(args) -> list:
    """--checkpoint-json: is this checkpoint signed by a platform key while it was in use?"""
    server = Server(args.server)
    keys = Keys(server.json("/api/v1/ledger/public-key"), args.public_key)
    with open(args.checkpoint_json, encoding="utf-8") as stream:
        checkpoint = json.load(stream)
    kid = keys.for_checkpoint(checkpoint)
    return [f"OK checkpoint of size {checkpoint['size']} signed by key {kid} while in use"]


def run(args) -> list:
    if args.checkpoint_json:
        return check_one_checkpoint(args)
    server, said = Server(args.server), []
    keys = Keys(server.json("/api/v1/ledger/public-key"), args.public_key)
    if not args.public_key:
        said.append("! public keys taken from the server; pin them with --public-key next time")

    checkpoint = server.json("/api/v1/ledger/checkpoints/")["latest"]
    if checkpoint is None:
        raise Failed("the server has no checkpoint yet")
    kid = keys.for_checkpoint(checkpoint)
    said.append(
        f"OK 1 checkpoint signed by key {kid}: size {checkpoint['size']}, root {checkpoint['root']}"
    )

    if args.seq:
        entry = server.json(f"/api/v1/ledger/entries/{args.seq}/")["entry"]
    else:
        entry = latest_content_entry(server, args.disclosure, checkpoint["size"])
    if entry["seq"] > checkpoint["size"]:
        raise Failed(f"entry {entry['seq']} is not under a signed checkpoint yet: try later")
    if entry["disclosure_id"] != args.disclosure:
        raise Failed(f"entry {entry['seq']} is about disclosure {entry['disclosure_id']}")
    if entry_hash(entry) != entry["entry_hash"]:
        raise Failed(f"entry {entry['seq']} does not re-hash to its entry_hash")
    said.append(
        f"OK 2 entry {entry['seq']} ({entry['event']}, version {entry['version']}) re-hashes"
    )

    content = server.json(f"/api/v1/ledger/entries/{entry['seq']}/")["content"]
    if content is None or sha256_hex(canonical_json(content)) != entry["content_sha256"]:
        raise Failed(f"the content document of entry {entry['seq']} does not hash to the ledger's")
    said.append(f"OK 3 content document re-hashes to {entry['content_sha256']}")

    dataset = content.get("dataset")
    if dataset is None:
        said.append("-- 4 this disclosure has no list (no dataset): nothing to download")
    elif args.no_csv:
        said.append("-- 4 CSV not checked (--no-csv)")
    else:
        if args.csv:
            with open(args.csv, encoding="utf-8-sig", newline="") as stream:
                text = stream.read()
        else:
            text = server.get(f"/api/v1/disclosures/{args.disclosure}/entries.csv").decode(
                "utf-8-sig"
            )
        public, rows = csv_public_sha256(text, dataset["kind"])
        if (public, rows) != (dataset["public_sha256"], dataset["row_count"]):
            raise Failed(
                f"the CSV ({rows} rows) hashes to {public}, but the ledger recorded "
                f"{dataset['public_sha256']} ({dataset['row_count']} rows): the list differs "
                "/ 名单与台账记录不符"
            )
        said.append(f"OK 4 CSV of {rows} rows re-hashes to the recorded public_sha256")

    proof = server.json(
        f"/api/v1/ledger/proof/inclusion?seq={entry['seq']}&size={checkpoint['size']}"
    )
    path = [bytes.fromhex(h) for h in proof["proof"]]
    if not verify_inclusion(
        bytes.fromhex(entry["entry_hash"]),
        entry["seq"] - 1,
        checkpoint["size"],
        path,
        bytes.fromhex(checkpoint["root"]),
    ):
        raise Failed(f"entry {entry['seq']} is not in the signed tree (inclusion proof fails)")
    said.append(f"OK 5 entry {entry['seq']} is in the signed tree of {checkpoint['size']}")

    if args.trusted_checkpoint:
        with open(args.trusted_checkpoint, encoding="utf-8") as stream:
            old = json.load(stream)
        keys.for_checkpoint(old)
        query = urllib.parse.urlencode({"from": old["size"], "to": checkpoint["size"]})
        consistency = server.json(f"/api/v1/ledger/proof/consistency?{query}")
        if not verify_consistency(
            old["size"],
            checkpoint["size"],
            bytes.fromhex(old["root"]),
            bytes.fromhex(checkpoint["root"]),
            [bytes.fromhex(h) for h in consistency["proof"]],
        ):
            raise Failed(
                f"the ledger of {checkpoint['size']} does not extend the trusted one of "
                f"{old['size']}: history was rewritten / 台账历史被改写"
            )
        said.append(f"OK 6 the trusted checkpoint of {old['size']} is a prefix of today's")

    if args.save_checkpoint:
        with open(args.save_checkpoint, "w", encoding="utf-8") as stream:
            json.dump(checkpoint, stream, ensure_ascii=False, indent=1)
        said.append(f"saved the checkpoint to {args.save_checkpoint}: keep it")
    return said


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True, help="e.g. https://gaokao.example.cn")
    parser.add_argument("--disclosure", type=int, help="the disclosure's id")
    parser.add_argument("--seq", type=int, help="a ledger entry to check (default: the latest)")
    parser.add_argument("--csv", help="a CSV file already downloaded (default: download it)")
    parser.add_argument("--no-csv", action="store_true", help="skip the list itself")
    parser.add_argument(
        "--public-key",
        action="append",
        help="a platform public key (base64), pinned; repeat it for each key after a rotation",
    )
    parser.add_argument(
        "--checkpoint-json",
        help="check this checkpoint JSON (a kept one, or one the server served) and stop",
    )
    parser.add_argument("--trusted-checkpoint", help="a checkpoint JSON kept from before")
    parser.add_argument("--save-checkpoint", help="write the latest checkpoint JSON here")
    args = parser.parse_args(argv)
    if args.disclosure is None and not args.checkpoint_json:
        parser.error("--disclosure is required (unless --checkpoint-json)")
    try:
        for line in run(args):
            print(line)
    except Failed as failure:
        print(f"FAILED: {failure}")
        return 1
    except (urllib.error.URLError, OSError, ValueError, KeyError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    print("ALL CHECKS PASSED / 全部核验通过")
    return 0


if __name__ == "__main__":
    sys.exit(main())
