"""The API's answers where no route answers: unknown paths, bad parameters and HEAD, each
in the API's own error body, as a client parsing `error.code` expects."""

from __future__ import annotations

from typing import Any

import httpx


def test_an_unknown_api_path_is_404_in_the_apis_error_body(site: Any) -> None:
    response = httpx.get(site.url + "/api/nonexistent", timeout=10)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "E505" and error["message"]


def test_a_wrong_method_on_the_api_is_405_in_the_apis_error_body(site: Any) -> None:
    response = httpx.delete(site.url + "/api/articles", timeout=10)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "E506"


def test_a_bad_api_parameter_stays_a_json_422(site: Any) -> None:
    response = httpx.get(site.url + "/api/articles", params={"limit": "abc"}, timeout=10)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "E504"


def test_head_on_an_article_gives_its_etag_and_no_body(site: Any) -> None:
    got = httpx.get(site.url + "/api/articles/sample05", timeout=10)
    head = httpx.head(site.url + "/api/articles/sample05", timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == str(len(got.content))
    assert httpx.head(site.url + "/api/articles/ffffffffffff", timeout=10).status_code == 404
