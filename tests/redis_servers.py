"""Real Redis topologies on loopback for tests, all started from the one redis-server binary.

- ``LocalCluster``: N primaries in cluster mode, slots assigned and nodes introduced with CLUSTER commands
  (no redis-cli needed), ready when every node says ``cluster_state:ok``.
- ``SentinelSetup``: a primary, a replica and one Sentinel watching them.
- ``make_tls_files``: a private CA and a server certificate for 127.0.0.1, made with ``cryptography``.
"""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from redis import Redis
from redis.exceptions import ConnectionError, ResponseError

from bot.devkit.local_redis import free_port

CLUSTER_SLOTS = 16384


def redis_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed; .ci/run installs it")
    return binary


def wait_until(condition: Callable[[], bool], what: str, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            if condition():
                return
        except (OSError, ConnectionError):  # not listening yet, or still loading
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


class ServerProcess:
    """One redis-server (or Sentinel) process on a free loopback port, in a directory of its own."""

    def __init__(self, *args: str, port: int | None = None, sentinel_config: str | None = None) -> None:
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="llm-approach-test-redis-"))
        command = [redis_binary()]
        if sentinel_config is not None:
            config = self.dir / "sentinel.conf"
            config.write_text(f"port {self.port}\nbind 127.0.0.1\ndir {self.dir}\n{sentinel_config}")
            command += [str(config), "--sentinel"]
        else:
            command += ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir)]
            command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*command, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def client(self, **options: object) -> Redis:
        return Redis(host="127.0.0.1", port=self.port, decode_responses=True, **options)  # type: ignore[arg-type]

    def wait_ready(self, **options: object) -> None:
        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server on {self.port} exited")
            with self.client(**options) as client:
                return bool(client.ping())

        wait_until(answers, f"redis on port {self.port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class LocalCluster:
    """A Redis Cluster of ``primaries`` nodes on loopback, each owning an equal range of slots."""

    def __init__(self, primaries: int = 3) -> None:
        self.nodes: list[ServerProcess] = []
        for _ in range(primaries):
            self.nodes.append(
                ServerProcess(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    # The bus port is chosen free too, rather than port + 10000.
                    "--cluster-port",
                    str(free_port()),
                    "--cluster-node-timeout",
                    "2000",
                )
            )
        try:
            self._form()
        except BaseException:
            self.stop()
            raise

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.nodes[0].port}/0"

    def _form(self) -> None:
        for node in self.nodes:
            node.wait_ready()
        share = CLUSTER_SLOTS // len(self.nodes)
        for index, node in enumerate(self.nodes):
            last = CLUSTER_SLOTS - 1 if index == len(self.nodes) - 1 else (index + 1) * share - 1
            with node.client() as client:
                client.execute_command("CLUSTER", "ADDSLOTSRANGE", index * share, last)
        with self.nodes[0].client() as first:
            for node in self.nodes[1:]:
                bus_port = node.process.args[node.process.args.index("--cluster-port") + 1]  # type: ignore[union-attr]
                first.execute_command("CLUSTER", "MEET", "127.0.0.1", node.port, bus_port)

        def formed() -> bool:
            for node in self.nodes:
                with node.client() as client:
                    info = client.execute_command("CLUSTER", "INFO")
                    if "cluster_state:ok" not in info or f"cluster_known_nodes:{len(self.nodes)}" not in info:
                        return False
            return True

        wait_until(formed, "the cluster to form", within=30)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


@dataclass
class SentinelSetup:
    """A primary, its replica and a Sentinel that watches them under ``name``."""

    primary: ServerProcess
    replica: ServerProcess
    sentinel: ServerProcess
    name: str
    sentinel_password: str | None = None

    @classmethod
    def start(
        cls, name: str = "llm-approach-test", auth: Sequence[str] = (), sentinel_password: str | None = None
    ) -> SentinelSetup:
        """``auth``: extra redis-server arguments for both data nodes (e.g. --requirepass);
        ``sentinel_password``: the Sentinel's own requirepass."""
        password = dict(zip(auth[::2], auth[1::2], strict=True)).get("--requirepass")
        primary = ServerProcess(*auth)
        primary.wait_ready(password=password)
        replica_auth = [*auth, "--masterauth", password] if password else [*auth]
        replica = ServerProcess(*replica_auth, "--replicaof", "127.0.0.1", str(primary.port))
        replica.wait_ready(password=password)
        with replica.client(password=password) as client:
            wait_until(
                lambda: client.info("replication").get("master_link_status") == "up",
                "the replica to sync",
            )
        monitor = (
            f"sentinel monitor {name} 127.0.0.1 {primary.port} 1\n"
            f"sentinel down-after-milliseconds {name} 2000\n"
            f"sentinel failover-timeout {name} 10000\n"
        )
        if password:
            monitor += f"sentinel auth-pass {name} {password}\n"
        if sentinel_password:
            monitor += f"requirepass {sentinel_password}\n"
        sentinel = ServerProcess(sentinel_config=monitor)
        sentinel.wait_ready(password=sentinel_password)
        setup = cls(primary, replica, sentinel, name, sentinel_password)
        wait_until(setup._sentinel_sees_replica, "the sentinel to find the replica")
        return setup

    def _sentinel_sees_replica(self) -> bool:
        with self.sentinel.client(password=self.sentinel_password) as client:
            replicas = client.execute_command("SENTINEL", "REPLICAS", self.name)
            return any(str(self.replica.port) in str(r) for r in replicas)

    def force_failover(self) -> None:
        """SENTINEL FAILOVER, once Sentinel has heard enough from the replica to promote it."""

        def started() -> bool:
            with self.sentinel.client(password=self.sentinel_password) as client:
                try:
                    return bool(client.execute_command("SENTINEL", "FAILOVER", self.name))
                except ResponseError as error:
                    if "NOGOODSLAVE" in str(error):
                        return False  # Sentinel has not yet had a fresh INFO from the replica
                    raise

        wait_until(started, "Sentinel to accept the failover")

    def current_primary_port(self) -> int:
        with self.sentinel.client(password=self.sentinel_password) as client:
            _, port = client.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", self.name)
            return int(port)

    def stop(self) -> None:
        for server in (self.sentinel, self.replica, self.primary):
            server.stop()


@dataclass(frozen=True)
class TlsFiles:
    ca: Path
    cert: Path
    key: Path


def make_tls_files(directory: Path) -> TlsFiles:
    """A private CA, and a certificate it signed for 127.0.0.1 and localhost."""
    now = datetime.datetime.now(datetime.UTC)

    def certificate(
        subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name, signer: ec.EllipticCurvePrivateKey
    ) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "llm-approach test CA")])
    ca = (
        certificate("llm-approach test CA", ca_key, ca_name, ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        certificate("127.0.0.1", server_key, ca_name, ca_key)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    files = TlsFiles(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    files.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.cert.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return files
