from pathlib import Path

import pytest

from demo2code.errors import InputError
from demo2code.llm.config import LOCAL_API_KEY, ModelConfig


def parse(**options: object) -> ModelConfig:
    env = options.pop("env", {})
    return ModelConfig.from_options(env=env, **options)  # type: ignore[arg-type]


def test_default_is_offline_symbolic_with_home_cache(tmp_path: Path) -> None:
    config = parse(env={"XDG_CACHE_HOME": str(tmp_path)})
    assert config.offline and config.model == "symbolic"
    assert config.cache_mode == "use"
    assert config.cache_dir == tmp_path / "demo2code" / "llm"


def test_provider_prefix_is_stripped_and_key_read_from_env() -> None:
    config = parse(model="openai:gpt-4o-mini", env={"OPENAI_API_KEY": "sk-test"})
    assert config.model == "gpt-4o-mini" and not config.offline
    assert config.api_key == "sk-test"
    assert config.endpoint == "https://api.openai.com/v1"


def test_environment_fills_options_and_options_win(tmp_path: Path) -> None:
    env = {
        "DEMO2CODE_MODEL": "llama3:8b",
        "OPENAI_BASE_URL": "http://localhost:11434/v1/",
        "DEMO2CODE_CACHE_DIR": str(tmp_path / "c"),
    }
    config = parse(env=env)
    # a colon in a local server's model name is not a provider prefix
    assert config.model == "llama3:8b"
    assert config.base_url == "http://localhost:11434/v1"
    assert config.api_key == LOCAL_API_KEY  # local servers need no key
    assert config.cache_dir == tmp_path / "c"
    overridden = parse(model="other", cache_dir=tmp_path / "d", env=env)
    assert overridden.model == "other" and overridden.cache_dir == tmp_path / "d"


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"cache": "sometimes"}, "--cache"),
        ({"timeout": -1.0}, "--timeout"),
        ({"timeout": 0}, "--timeout"),
        ({"max_tokens": 0}, "--max-tokens"),
        ({"max_retries": 1.5}, "--retries"),
        ({"temperature": 3.0}, "--temperature"),
        ({"model": "anthropic:claude"}, "--model"),
        ({"model": "  "}, "--model"),
        ({"model": "gpt-4o", "base_url": "localhost:8000"}, "--base-url"),
    ],
)
def test_bad_options_name_the_option(options: dict, named: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(env={"OPENAI_API_KEY": "k"}, **options)
    message = str(caught.value)
    assert message.startswith(named) and "\n" not in message


def test_bad_model_from_environment_names_the_variable() -> None:
    with pytest.raises(InputError, match="^DEMO2CODE_MODEL"):
        parse(env={"DEMO2CODE_MODEL": "nosuch:thing"})


def test_hosted_model_without_key_is_an_error_unless_replaying_cache() -> None:
    with pytest.raises(InputError, match="OPENAI_API_KEY"):
        parse(model="gpt-4o-mini")
    assert parse(model="gpt-4o-mini", cache="only").api_key is None


def test_config_is_frozen() -> None:
    config = parse()
    with pytest.raises(AttributeError):
        config.model = "x"  # type: ignore[misc]


def test_package_import_does_not_load_openai() -> None:
    import subprocess
    import sys

    code = (
        "import sys, demo2code.llm as llm\n"
        "assert 'openai' not in sys.modules\n"
        "assert llm.ChatClient.__name__ == 'ChatClient'\n"
        "assert 'openai' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
