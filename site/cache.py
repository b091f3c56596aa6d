"""Django's Redis cache backend, reusing one Redis client per server.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache call
(the connection pool is shared; the client object and its table of response callbacks are
not), which costs about as much as the round trip itself. A page rendered without the whole-page
cache makes four or five cache calls (route, menu, footer, content), and a cached page one, so
the shared cache keeps one client per connection pool instead. redis-py's clients are safe to
share between threads and reset their connections after a fork.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
