"""`monitor web` (the web view and its API) and `monitor users` (accounts and API tokens)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import UTC, datetime
from typing import Any

from monitor.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from monitor.cli.tables import table, visible
from monitor.settings.config import Settings
from monitor.storage.store import Store


def add_commands(commands: Any) -> None:
    web = commands.add_parser(
        "web",
        help="serve the web view and its JSON API",
        description="Serve the web view (stories, search, sources, digests, status) and its JSON API with "
        "uvicorn, on the database the other commands use. It listens on 127.0.0.1 unless told otherwise: "
        "put a reverse proxy with TLS in front of it (and pass --https) to share it. Sign in with an account "
        "made by `monitor users add`. The session key comes from MONITOR_WEB_SECRET, or is made once and "
        "kept in the monitor's home.",
    )
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    web.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    web.add_argument("--https", action="store_true", help="served over HTTPS by a proxy: Secure cookies and HSTS")
    web.set_defaults(handler=cmd_web)

    users = commands.add_parser(
        "users",
        help="web view accounts: add one, make an API token, list them",
        description="Accounts of the web view. Roles: viewer (reads), operator (also starts crawls and "
        "digests), admin (also manages users). `add` reads the password from standard input (asked for at a "
        "terminal); an existing account gets the new password and role. `token` prints a new API token for "
        "`Authorization: Bearer` (shown once; only its hash is kept).",
    )
    users.add_argument("action", choices=["add", "token", "list", "remove"])
    users.add_argument("email", nargs="?", metavar="EMAIL")
    users.add_argument("--role", choices=["viewer", "operator", "admin"], default="viewer")
    users.set_defaults(handler=cmd_users)


def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from monitor.web.app import create_app

    app = create_app(settings, secret=os.environ.get("MONITOR_WEB_SECRET"), https=args.https)
    print(f"monitor web: http://{args.host}:{args.port}/ on {settings.safe_database_url}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=True)
    return EXIT_OK


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.web import accounts

    store = Store.open(settings.database_url)
    now = datetime.now(UTC)
    if args.action == "list":
        rows = [
            [u.email, u.role, u.created_at.strftime("%Y-%m-%d"), u.last_login_at or "never"]
            for u in accounts.users(store)
        ]
        print(table(["e-mail", "role", "since", "last sign-in"], rows))
        return EXIT_OK
    if not args.email:
        print(f"monitor: users {args.action} needs an EMAIL", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.action == "add":
            row = accounts.add_user(store, args.email, args.role, _password(), now)
            print(f"{visible(row.email)} can sign in to the web view as {row.role}")
        elif args.action == "token":
            print(accounts.issue_token(store, args.email, now))
        else:
            found = [u for u in accounts.users(store) if u.email == accounts.normal_email(args.email)]
            if not found:
                print(f"monitor: no user {visible(args.email)}", file=sys.stderr)
                return EXIT_FAILED
            accounts.remove_user(store, found[0].id)
            print(f"{visible(found[0].email)} removed")
    except (accounts.AccountError, ValueError) as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
