"""Release directories on a host: made from a commit, built, switched to, pruned."""

import json
import shlex
from datetime import UTC, datetime

from deploy.config_files import env_file, secret_key_from, uwsgi_ini
from deploy.errors import DeployError
from deploy.instances import Instance
from deploy.remote import Remote

SHARED_DIRS = ("var", "media", "static", "log", "backups")
# What a server needs of the build: bin/django, the wsgi file and uWSGI (not the linters).
SERVER_PARTS = "django rms-wsgi uwsgi"
ENV = "set -a && . {env} && . ./release.env && set +a"
# Imports the WSGI app exactly as a uWSGI worker will, in the release's own interpreter
# (the one bin/rms-wsgi names), without serving anything.
IMPORT_CHECK = (
    "RMS_ENV_FILE={env} $(head -1 bin/rms-wsgi | cut -c3-) -c"
    " \"import runpy; runpy.run_path('bin/rms-wsgi', run_name='import_check')\""
)
# Run in the release with $CACHE set. Two host-wide caches: installed packages keyed by
# their manifests, and Grunt's output, static/dist (Gruntfile.js: "the only static folder
# Django serves"), keyed by those and every front-end source. A release whose front end
# did not change (nearly all) copies both instead of installing and building. New
# entries are filled in a temporary directory and renamed, so no deploy sees half of one.
FRONTEND_BUILD = """
set -e
store() {
    mkdir -p "$CACHE" && tmp=$(mktemp -d "$CACHE/.tmp.XXXXXX") && cp -al "$@" "$tmp/"
    mv -T "$tmp" "$CACHE/$key" 2>/dev/null || rm -rf "$tmp"
}
packages=$(cat package-lock.json bower.json .bowerrc 2>/dev/null | sha256sum | cut -c1-16)
sources=$({ cat Gruntfile.js; find static -path static/dist -prune -o -type f -print0 \
    | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)
key="dist-$packages-$sources"
if test -d "$CACHE/$key"; then
    cp -a "$CACHE/$key/dist" static/
else
    key="packages-$packages"
    if test -d "$CACHE/$key"; then
        cp -al "$CACHE/$key/." .
    else
        npm ci --no-audit --no-fund
        if test -f bower.json; then npx bower install --allow-root; fi
        store node_modules $(test -d bower_components && echo bower_components)
    fi
    npx grunt build --no-color
    key="dist-$packages-$sources"
    store static/dist
fi
"""


def release_id(sha: str, now: datetime) -> str:
    """Sortable by time, and says which commit it holds."""
    return f"{now.astimezone(UTC):%Y%m%d-%H%M%S}-{sha[:8]}"


def path(remote: Remote, release: str) -> str:
    return f"{remote.host.releases}/{release}"


def shared_prepare(remote: Remote, instance: Instance) -> None:
    """Shared dirs, the env file (mode 600, SECRET_KEY kept) and uwsgi.ini, rendered anew."""
    host = remote.host
    dirs = " ".join(shlex.quote(f"{host.shared}/{name}") for name in SHARED_DIRS)
    remote.run(f"mkdir -p {dirs} {shlex.quote(host.releases)}")
    current_env = remote.run(f"cat {shlex.quote(host.env_file)} 2>/dev/null || true")
    text = env_file(instance, host, secret_key=secret_key_from(current_env))
    remote.write(host.env_file, text, mode="600")
    remote.write(host.ini, uwsgi_ini(instance, host))


def checkout(remote: Remote, instance: Instance, release: str, sha: str, ref: str) -> None:
    """The commit's tree (git archive, no .git) from a mirror kept on the host."""
    host = remote.host
    mirror, target = shlex.quote(host.mirror), shlex.quote(path(remote, release))
    if remote.exists(host.mirror):
        remote.run(f"git --git-dir={mirror} fetch --quiet --prune --force origin")
    else:
        remote.run(f"git clone --quiet --mirror {shlex.quote(instance.origin)} {mirror}")
    remote.run(f"mkdir {target} && git --git-dir={mirror} archive {sha} | tar -x -C {target}")
    links = " && ".join(
        f"ln -sfn {shlex.quote(f'{host.shared}/{name}')} {target}/{name}"
        for name in ("var", "media")
    )
    remote.run(f"{links} && ln -sfn {shlex.quote(host.env_file)} {target}/.env")
    remote.write(f"{path(remote, release)}/release.env", f"RMS_RELEASE={release}\n")
    revision = json.dumps({"release": release, "sha": sha, "ref": ref})
    remote.write(f"{path(remote, release)}/REVISION.json", revision + "\n")


def buildout(remote: Remote, instance: Instance, release: str) -> None:
    """The release's own buildout, with one eggs cache for every release of the host."""
    cache = cache_directory(remote, instance)
    target = shlex.quote(path(remote, release))
    pin = remote.run(f"sed -n 's/^zc.buildout *= *//p' {target}/buildout.cfg").strip()
    venv = shlex.quote(f"{cache}/buildout-{pin}")
    if not remote.exists(f"{cache}/buildout-{pin}/bin/buildout"):
        # Instances of one host share the cache and may deploy at once: the first makes
        # the venv under a lock, the others wait for it and find it made (a venv cannot
        # be made elsewhere and renamed: its scripts name their own path).
        install = (
            f"test -x {venv}/bin/buildout || {{ rm -rf {venv} && "
            f"{shlex.quote(instance.python)} -m venv {venv} && {venv}/bin/pip install --quiet "
            f"--disable-pip-version-check zc.buildout=={shlex.quote(pin)}; }}"
        )
        lock = shlex.quote(f"{cache}/.buildout.lock")
        remote.run(f"mkdir -p {shlex.quote(cache)} && flock {lock} sh -c {shlex.quote(install)}")
    eggs = shlex.quote(instance.eggs_directory or f"{cache}/eggs")
    parts = SERVER_PARTS
    # bin/celery (the queue's worker and beat), in releases whose build has it.
    if remote.ok(f"grep -q '^\\[celery\\]' {target}/buildout.cfg"):
        parts += " celery"
    remote.run_step(
        f"mkdir -p {eggs} && cd {target} && {venv}/bin/buildout -N "
        f"buildout:eggs-directory={eggs} {shlex.quote(f'buildout:parts={parts}')}"
    )


def frontend(remote: Remote, instance: Instance, release: str) -> bool:
    """Grunt's build (through the host's caches, see FRONTEND_BUILD) when the release has
    a front end; False when it has none."""
    target = shlex.quote(path(remote, release))
    if not remote.ok(f"test -f {target}/package.json && test -f {target}/Gruntfile.js"):
        return False
    cache = shlex.quote(f"{cache_directory(remote, instance)}/frontend")
    build = shlex.quote(f"CACHE={cache} && {FRONTEND_BUILD}")
    # jshint names the file on a line of its own, above the error lines; the last lines
    # alone (all a failed command shows) said what was wrong but not where.
    remote.run_step(
        f"cd {target} && {{ bash -c {build} > frontend.log 2>&1 || {{ tail -n 7 frontend.log;"
        f" echo in: $(grep -oE '^ *[^ ]+[.](js|scss)$' frontend.log | sort -u); exit 1; }} >&2; }}"
    )
    return True


def cache_directory(remote: Remote, instance: Instance) -> str:
    return instance.cache_directory or f"{remote.host.base}/cache"


def django(
    remote: Remote, release: str, command: str, *, check: bool = True, stoppable: bool = False
) -> bool:
    """`bin/django <command>` in the release, with the instance's env; True when it passed.
    A `stoppable` one runs as a step an interrupted deploy stops (Remote.run_step)."""
    env = ENV.format(env=shlex.quote(remote.host.env_file))
    full = f"cd {shlex.quote(path(remote, release))} && {env} && bin/django {command}"
    if stoppable:
        remote.run_step(full)
        return True
    if check:
        remote.run(full)
        return True
    return remote.ok(full)


def import_check(remote: Remote, release: str) -> None:
    """Django's deploy checks (they import every URLconf and view), then the WSGI app."""
    django(remote, release, "check --deploy")
    env = shlex.quote(remote.host.env_file)
    remote.run(f"cd {shlex.quote(path(remote, release))} && {IMPORT_CHECK.format(env=env)}")


def current(remote: Remote) -> str:
    """The release `current` points to, or '' before the first deploy."""
    target = remote.run(f"readlink {shlex.quote(remote.host.current)} || true").strip()
    return target.rsplit("/", 1)[-1]


def switch(remote: Remote, release: str) -> None:
    """Point `current` at the release atomically: a new link renamed over the old one."""
    host = remote.host
    tmp = shlex.quote(f"{host.current}.tmp")
    remote.run(
        f"ln -sfn releases/{shlex.quote(release)} {tmp} && mv -T {tmp} {shlex.quote(host.current)}"
    )


def listing(remote: Remote) -> list[str]:
    """Release ids on the host, newest first."""
    names = remote.run(f"ls -1 {shlex.quote(remote.host.releases)} 2>/dev/null || true")
    return sorted(names.split(), reverse=True)


def revision(remote: Remote, release: str) -> dict:
    text = remote.run(f"cat {shlex.quote(path(remote, release))}/REVISION.json", check=False)
    try:
        return json.loads(text)
    except ValueError:
        return {"release": release, "sha": "?", "ref": "?"}


def prune(remote: Remote, keep: int) -> list[str]:
    """Remove the oldest releases beyond `keep`, never the current one."""
    active = current(remote)
    removed = [name for name in listing(remote)[keep:] if name != active]
    for name in removed:
        remote.run(f"rm -rf {shlex.quote(path(remote, name))}")
    return removed


def remove_failed(remote: Remote, release: str) -> None:
    if release and release != current(remote):
        remote.run(f"rm -rf {shlex.quote(path(remote, release))}")


def require(remote: Remote, release: str) -> None:
    if release not in listing(remote):
        raise DeployError(f"no release {release!r} on {remote.name}")
