"""The sessions' file store (the embedded setup, no Redis): a sign-out's delete that lands while
another request renews the session's expiry stays deleted. Litestar's FileStore reads the file
and writes it back across an await, and the delete in between was undone."""

from __future__ import annotations

import asyncio

import pytest
from litestar.stores.file import FileStore

from kefu.core.sessions import SessionFileStore, SessionRedisStore
from kefu.settings import get_settings

RACES = 200


async def _revived(store: FileStore) -> int:
    revived = 0
    for i in range(RACES):
        key = f"s{i}"
        await store.set(key, b"{}", expires_in=3600)

        async def sign_out(key: str = key) -> None:
            await asyncio.sleep(0)  # the renewing read has begun
            await store.delete(key)

        await asyncio.gather(store.get(key, renew_for=3600), sign_out())
        revived += await store.exists(key)
    return revived


async def test_litestars_file_store_revives_a_deleted_session(tmp_path):
    """The race this store closes, shown on the store it replaces (so the test below can fail)."""
    assert await _revived(FileStore(path=tmp_path, create_directories=True)) > 0


async def test_a_deleted_session_stays_deleted_while_another_request_renews_it(tmp_path):
    store = SessionFileStore(path=tmp_path, create_directories=True)
    assert await _revived(store) == 0


async def test_renewing_slides_the_expiry_and_keeps_the_value(tmp_path):
    store = SessionFileStore(path=tmp_path, create_directories=True)
    await store.set("k", b'{"user": 1}', expires_in=60)
    assert await store.get("k", renew_for=3600) == b'{"user": 1}'
    assert (await store.expires_in("k")) > 3000
    assert await store.get("gone", renew_for=3600) is None
    assert not await store.exists("gone")


@pytest.fixture(params=["file", "redis"])
async def session_store(request, tmp_path):
    """The two stores kefu.app serves sessions from: files (embedded) and Redis (when configured)."""
    if request.param == "file":
        yield SessionFileStore(path=tmp_path, create_directories=True)
        return
    url = get_settings().redis_url
    if not url:
        pytest.skip("no Redis in this run")
    store = SessionRedisStore.with_client(url=url, namespace=f"kefu-test-{tmp_path.name}")
    yield store
    await store.delete_all()
    await store._redis.aclose()


@pytest.mark.parametrize("first", ["delete", "replace"])
async def test_a_changed_session_is_written_only_over_one_still_stored(session_store, first):
    store = session_store
    await store.set("k", b"{}", expires_in=60)
    if first == "delete":
        await store.delete("k")
        assert not await store.set_if_present("k", b'{"flash": 1}', 3600)
        assert not await store.exists("k")
    else:
        replaced, _ = await asyncio.gather(store.set_if_present("k", b'{"flash": 1}', 3600), store.delete("k"))
        assert replaced and not await store.exists("k")  # written, then deleted: never revived after
    assert not await store.set_if_present("never-stored", b"{}", 3600)
