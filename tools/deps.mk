# tools/deps-src.sh (the deb-src entry tools/deps.sh derives) has a shell unit test.
UNIT_TESTS += tests/unit/sh/test_deps_src.sh
