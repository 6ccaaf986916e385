#!/usr/bin/env python3
"""boto3's side of cmd/fakests/bench: calls one STS operation against each
named endpoint in turn, round after round, and prints the median calls/s and
time per call of each, with its time ratio to the first.

    python3 boto3_calls.py --op AssumeRole --rounds 5 --duration 2 canned=URL fakests=URL moto=URL
"""
import argparse
import statistics
import time

import boto3
from botocore.config import Config


def client(url):
    return boto3.session.Session().client(
        "sts", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"max_attempts": 1}))


def measure(c, op, seconds):
    if op == "AssumeRole":
        def call():
            c.assume_role(RoleArn="arn:aws:iam::123456789012:role/bench", RoleSessionName="bench")
    else:
        def call():
            c.get_caller_identity()
    call()  # warm the connection and botocore's caches
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        call()
        n += 1
    return n / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--op", default="GetCallerIdentity")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--duration", type=float, default=2.0)
    ap.add_argument("endpoints", nargs="+")
    a = ap.parse_args()
    eps = [e.split("=", 1) for e in a.endpoints]
    clients = [client(url) for _, url in eps]
    rates = [[] for _ in eps]
    for _ in range(a.rounds):
        for i, c in enumerate(clients):
            rates[i].append(measure(c, a.op, a.duration))
    print(f"boto3 {a.op}, 1 client, median of {a.rounds} rounds of {a.duration}s")
    print(f"{'server':<16} {'calls/s':>10} {'µs/call':>12} {'time ×':>10}")
    base = statistics.median(rates[0])
    for (name, _), r in zip(eps, rates):
        m = statistics.median(r)
        print(f"{name:<16} {m:>10.0f} {1e6 / m:>12.1f} {base / m:>10.2f}")


if __name__ == "__main__":
    main()
