"""Synthetic secrets, one or more per format, and near misses that must stay visible.

Every secret is assembled at run time from pieces, so that no secret-shaped literal sits in the
repository and secret scanners stay quiet. None of these values was ever valid anywhere.
"""

import base64

ALNUM36 = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
PEM_BEGIN = "-----BEGIN {}-----"
PEM_END = "-----END {}-----"
PRIVATE = "PRIVATE" + " KEY"


def _pem(label: str, body: str) -> str:
    return PEM_BEGIN.format(label) + "\n" + body + "\n" + PEM_END.format(label)


# (format name, text that carries the secret, the secret part that must disappear)
SECRETS: list[tuple[str, str, str]] = [
    ("github-classic", "clone failed: token " + "gh" + "p_" + ALNUM36 + " rejected", "p_" + ALNUM36),
    ("github-oauth", "gh" + "o_" + ALNUM36, ALNUM36),
    ("github-user-to-server", "gh" + "u_" + ALNUM36, ALNUM36),
    ("github-server-to-server", "auth with gh" + "s_" + ALNUM36 + ".", ALNUM36),
    ("github-refresh", "gh" + "r_" + ALNUM36, ALNUM36),
    ("github-fine-grained", "github" + "_pat_" + "11ABCDEFG0" + ALNUM36 + "_" + ALNUM36, ALNUM36),
    ("gitlab", "glp" + "at-" + "xYz12AbC34dEf56GhI78", "xYz12AbC34dEf56GhI78"),
    ("aws-access-key-id", "key id AK" + "IA" + "IOSFODNN7EXAMPLE in use", "IOSFODNN7EXAMPLE"),
    ("aws-session-key-id", '"AS' + "IA" + 'Y3FAKEKEYID12345"', "Y3FAKEKEYID12345"),
    ("aws-secret-ini", "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", "wJalrXUtnFEMI"),
    ("aws-secret-env", "AWS_SECRET_ACCESS_KEY=" + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", "bPxRfiCY"),
    ("slack-bot", "xo" + "xb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
    ("slack-user", "token=xo" + "xp-" + "123456789012-123456789012-1234567890123-abcdef0123456789", "abcdef0123456789"),
    (
        "slack-webhook",
        "post https://hooks.slack.com/services/" + "T0000AAAA/B0000BBBB/" + "XxXxXxXxXxXxXxXxXxXxXxXx" + " failed",
        "XxXxXxXxXxXxXxXxXxXxXxXx",
    ),
    (
        "discord-webhook",
        "https://discord.com/api/webhooks/" + "123456789012345678/" + "AbCdEf-GhIjKl_MnOpQr",
        "AbCdEf-GhIjKl_MnOpQr",
    ),
    ("jwt", "eyJhbGciOiJSUzI1NiJ9." + "eyJzdWIiOiJhZG1pbiJ9." + "c2lnbmF0dXJlc2lnbmF0dXJl", "c2lnbmF0"),
    ("pem-private-key", "identity: " + _pem(PRIVATE, "MIIEvQIBADANBgkqhkiG9w0"), "MIIEvQIBADANBgkqhkiG9w0"),
    ("pem-openssh", _pem("OPENSSH " + PRIVATE, "b3BlbnNzaC1rZXktdjE"), "b3BlbnNzaC1rZXktdjE"),
    (
        "pem-truncated",
        "key: " + PEM_BEGIN.format("EC " + PRIVATE) + "\nMHcCAQEEIBkg4LVWM9nuw...",
        "MHcCAQEEIBkg4LVWM9nuw",
    ),
    ("bearer", "Authorization: Bearer " + "abc.def-ghi_jklmnop", "jklmnop"),
    ("basic", "Authorization: Basic " + base64.b64encode(b"lab-user:planted-secret-123").decode(), "bGFiLXVzZXI6"),
    ("basic-bare", "sent Basic " + base64.b64encode(b"lab-user:planted-secret-123").decode(), "bGFiLXVzZXI6"),
    (
        "auth-header-token",
        '"authorization": "token ' + "0123456789abcdef" + '0123456789abcdef01234567"',
        "0123456789abcdef",
    ),
    ("url-userinfo", "https://lab-user:planted-secret-123@git.example.com/repo.git", "planted-secret-123"),
    ("url-token", "https://" + "0123456789abcdef" + "0123456789abcdef01234567@github.com/org/repo", "0123456789abcdef"),
    ("url-query-token", "https://example.com/hook?token=" + "s3cr3tValue42&x=1", "s3cr3tValue42"),
    ("yaml-password", "password: hunter22", "hunter22"),
    ("json-token", '{"token": "abc123def"}', "abc123def"),
    ("json-api-key", '{"apiKey":"k-98765-zyx"}', "k-98765-zyx"),
    ("pair-inside-a-value", "KeyError: 'password=" + "pw-" + "x" * 12 + "'", "pw-xxxxxxxxxxxx"),
    ("env-token", "GITHUB_TOKEN=" + "abcdef0123456789", "abcdef0123456789"),
    ("client-secret", "client_secret: " + "Zz9-Yy8-Xx7", "Zz9-Yy8-Xx7"),
    ("kubeconfig-data", "client-key-data: " + "LS0tLS1CRUdJTi" + "BSU0E=", "LS0tLS1CRUdJTi"),
    ("flag-equals", "flux create secret git x --password=" + "hunter22", "hunter22"),
    ("flag-space", "kubectl --token " + "abcdef123456 get pods", "abcdef123456"),
    ("age-identity", "AGE-SECRET-KEY-1" + "Q" * 58, "QQQQQQQQQQ"),
    ("vault-service-token", "VAULT: using hv" + "s." + "CAESI" + ALNUM36[:24], "CAESI" + ALNUM36[:10]),
    ("vault-batch-token", "hv" + "b." + "AAAAAQ" + ALNUM36, "AAAAAQ" + ALNUM36[:10]),
    ("openai-project-key", "OPENAI said: invalid s" + "k-proj-" + ALNUM36 + ALNUM36, ALNUM36),
    ("anthropic-key", "s" + "k-ant-api03-" + ALNUM36 + "-" + ALNUM36, ALNUM36),
    ("npm-token", "//registry.npmjs.org/:_authT" + "oken=" + "np" + "m_" + ALNUM36, ALNUM36),
    ("npm-token-bare", "publish with np" + "m_" + ALNUM36 + " failed", ALNUM36),
    ("pypi-token", "upload: py" + "pi-" + "AgEIcHlwaS5vcmc" + ALNUM36, "AgEIcHlwaS5vcmc"),
    ("google-api-key", "key=AI" + "za" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q", "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q"),
    ("docker-pat", "docker login -p dck" + "r_pat_" + ALNUM36[:27], ALNUM36[:27]),
    (
        "azure-sas-url",
        "GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&s" + "ig=" + "AbCd%2BEfGh%3D&se=2030",
        "AbCd%2BEfGh%3D",
    ),
    ("cookie-header", "Cook" + "ie: session=" + "f00dfeedcafe1234; theme=dark", "f00dfeedcafe1234"),
    ("set-cookie-header", "Set-Cook" + "ie: sid=" + "0a1b2c3d4e5f6a7b; Path=/; HttpOnly", "0a1b2c3d4e5f6a7b"),
]

# Text that looks a little like a secret but is evidence: it must come back unchanged.
NOT_SECRETS: list[str] = [
    "the ghp_ prefix marks a classic GitHub token",
    "sighp_forward and highp_value are words",
    "Applied revision: main@sha1:fcb0701a2b3c4d5e6f708192a3b4c5d6e7f80912",
    "stored artifact for revision 'main@sha1:fcb0701a2b3c4d5e6f708192a3b4c5d6e7f80912'",
    "url: ssh://git@github.com/org/repo",
    "git@github.com:org/repo.git",
    "https://github.com/fluxcd/flux2 and oci://ghcr.io/stefanprodan/charts/podinfo",
    "https://user@example.com/repo.git",
    "mail admin@example.com",
    "the token-refresh loop restarted; token refresh failed",
    "secretRef: {name: repo-auth}",
    "secretRef:\n  name: repo-auth",
    '"secretRef": {"name": "repo-auth"}',
    "secretName: repo-auth",
    "passwordSecretRef: db-credentials",
    "valuesKey: password",
    "--token-auth --owner org",
    "--password-stdin",
    "Basic authentication failed",
    "Bearer token required",
    "xoxo from the team",
    "Asia/Tokyo AKIA",
    "failed to get secret 'flux-system/repo-auth': secrets \"repo-auth\" not found",
    "tokenExpired: false",
    "key: app.kubernetes.io/name",
    "node condition disk-pressure and task-runner-0123456789abcdefghijklmnopq are fine",
    "Kustomization/apps/sk-prod-pipeline-0123456789abcdef0123456789 is ready",
    "npm_config_cache is set; npm_lifecycle_event=build",
    "signature verification failed: no matching sig found",
    "cookie-cutter template applied",
    "the hvs. prefix marks a Vault service token",
]
