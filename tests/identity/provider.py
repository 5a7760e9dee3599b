"""A real OpenID provider for the tests: npm `oidc-provider` on Node.js, on loopback.

`ensure_installed()` installs the pinned package (tests/identity/oidc_provider/package-lock.json:
exact versions and sha512 integrity, from the npm registry) with `npm ci` into var/ (ignored by
git, never part of a production image); a lock file makes two xdist workers install it once.
`RunningProvider` starts provider.mjs on a free port with static clients whose redirect URIs
are the callbacks of a pool of tenant slugs made up front (a provider matches them exactly).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent / "oidc_provider"
ROOT = Path(__file__).resolve().parents[2]
INSTALL_DIR = ROOT / "var" / "test-oidc-provider"
PUBLIC_URL = "http://127.0.0.1:8000"  # the test settings' KEFU_PUBLIC_URL default


class ProviderUnavailable(RuntimeError):
    pass


def _pinned_version() -> str:
    return json.loads((HERE / "package.json").read_text())["dependencies"]["oidc-provider"]


def _installed_version() -> str | None:
    manifest = INSTALL_DIR / "node_modules" / "oidc-provider" / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.exists() else None


def ensure_installed() -> Path:
    if not shutil.which("node") or not shutil.which("npm"):
        raise ProviderUnavailable("node and npm are not installed")
    INSTALL_DIR.mkdir(parents=True, exist_ok=True)
    with open(INSTALL_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version() != _pinned_version() or not (INSTALL_DIR / "provider.mjs").exists():
            for name in ("package.json", "package-lock.json"):
                shutil.copy(HERE / name, INSTALL_DIR / name)
            proc = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                                  cwd=INSTALL_DIR, capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                raise ProviderUnavailable(f"npm ci failed: {proc.stderr[-2000:]}")
        shutil.copy(HERE / "provider.mjs", INSTALL_DIR / "provider.mjs")
    return INSTALL_DIR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def callback(slug: str) -> str:
    return f"{PUBLIC_URL}/t/{slug}/signin/oidc/callback"


@dataclass
class StaticClient:
    client_id: str
    client_secret: str = field(default_factory=lambda: "secret-" + uuid.uuid4().hex)


@dataclass
class RunningProvider:
    slugs: list[str]
    clients: dict[str, StaticClient]
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningProvider:
        folder = ensure_installed()
        registered = [{
            "client_id": c.client_id, "client_secret": c.client_secret,
            "redirect_uris": [callback(s) for s in self.slugs],
            "post_logout_redirect_uris": [f"{PUBLIC_URL}/t/{s}/signin" for s in self.slugs],
            "grant_types": ["authorization_code"], "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
        } for c in self.clients.values()]
        env = {**os.environ, "PORT": str(self.port), "OIDC_CLIENTS": json.dumps(registered)}
        self.process = subprocess.Popen(["node", "provider.mjs"], cwd=folder, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProviderUnavailable(f"provider exited: {self.process.stderr.read()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(self.issuer + "/.well-known/openid-configuration", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise ProviderUnavailable("provider did not answer within 20 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def next_token(self, mode: str) -> None:
        """The provider's next token response carries an altered ID token (see provider.mjs)."""
        httpx.post(f"{self.issuer}/__test/mode", params={"mode": mode}, timeout=5).raise_for_status()
