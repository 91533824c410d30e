"""Stable error codes of Connect+: refusals of the API and pages, and why a connection test, a host-key
fetch or a run failed (a run and its files record these codes; they are answered in `error_code`)."""

from enum import nonmember

from accessadmin.errors import ErrorCode


class ConnectErrorCode(ErrorCode):
    surfaces = nonmember(("/api/v1", "pages"))

    # refusals
    DUPLICATE_NAME = "duplicate_name", 400, "The organization has a connection, key or dataflow of this name."
    CREDENTIALS_REQUIRED = "credentials_required", 400, "A connection needs a password or a private key."
    INVALID_HOST = "invalid_host", 400, "The host is not a host name or an address."
    INVALID_HOST_KEY = "invalid_host_key", 400, "The pinned host key is not an OpenSSH public key."
    INVALID_PRIVATE_KEY = "invalid_private_key", 400, "The private key is not an OpenSSH private key."
    BAD_PASSPHRASE = "bad_passphrase", 400, "The passphrase does not open the key."
    INVALID_KEY = "invalid_key", 400, "The PGP key cannot be read."
    KEY_REVOKED = "key_revoked", 400, "The PGP key is revoked."
    KEY_EXPIRED = "key_expired", 400, "The PGP key has expired."
    KEY_CANNOT_DECRYPT = "key_cannot_decrypt", 400, "The PGP key has no private part, so it cannot decrypt."
    KEY_CANNOT_ENCRYPT = "key_cannot_encrypt", 400, "The PGP key has no encryption subkey."
    KEY_IN_USE = "key_in_use", 409, "Dataflows use the PGP key; change them first."
    CONNECTION_IN_USE = "connection_in_use", 409, "Dataflows use the connection; change them first."
    UNKNOWN_TEMPLATE = "unknown_template", 400, "No dataflow template has this id."
    INVALID_SCHEDULE = "invalid_schedule", 400, "The schedule is not a cron expression."
    INVALID_PATTERN = "invalid_pattern", 400, "The file name pattern is not a valid regular expression."
    ARCHIVE_PATH_REQUIRED = "archive_path_required", 400, "Archiving after success needs an archive path."
    SAME_LOCATION = "same_location", 400, "The destination is the source directory itself."
    RUN_IN_PROGRESS = "run_in_progress", 409, "The dataflow has a run queued or running; wait for it."
    # why a connection test, a host-key fetch or a run failed (the status varies: 400, 502, or none on a run)
    HOST_NOT_ALLOWED = ("host_not_allowed", None,
                        "The host resolves to a loopback, private or link-local address that is not allowed.")
    AUTH_FAILED = "auth_failed", None, "The SFTP server refused the username, password or key."
    HOST_KEY_MISMATCH = "host_key_mismatch", None, "The server's host key is not the pinned one."
    UNREACHABLE = "unreachable", None, "The SFTP server cannot be reached."
    TIMEOUT = "timeout", None, "The SFTP server did not answer within the time limit."
    PATH_MISSING = "path_missing", None, "A path does not exist on the SFTP server."
    SFTP_PERMISSION_DENIED = "permission_denied", None, "The SFTP user may not read or write the path."
    CONNECTION_LOST = "connection_lost", None, "The SFTP connection was lost."
    SFTP_ERROR = "sftp_error", None, "The SFTP server reported an error."
    DESTINATION_EXISTS = "destination_exists", None, "A file of that name is already at the destination."
    STILL_CHANGING = "still_changing", None, "The file was still being written; the next run takes it."
    ALREADY_DELIVERED = "already_delivered", None, "Another run delivered the file."
    INTERNAL_ERROR = "internal_error", None, "An unexpected error; the server log has it."
    INTERRUPTED = "interrupted", None, "The consumer running the run stopped; the next run finishes the job."
    LOCK_LOST = "lock_lost", None, "Another consumer took the run over."
    SECRET_UNREADABLE = "secret_unreadable", None, "A stored secret cannot be decrypted with the configured keys."
    DATAFLOW_INACTIVE = "dataflow_inactive", None, "The dataflow is not active."
    PGP_KEY_INVALID = "pgp_key_invalid", None, "The PGP key cannot be read."
    PGP_KEY_UNUSABLE = "pgp_key_unusable", None, "The encryption key has expired or was revoked."
    PGP_PASSPHRASE_WRONG = "pgp_passphrase_wrong", None, "The passphrase does not open the private key."
    PGP_DECRYPT_FAILED = "pgp_decrypt_failed", None, "The file could not be decrypted (corrupt, or not PGP data)."
    PGP_WRONG_KEY = "pgp_wrong_key", None, "The file was not encrypted to the dataflow's private key."
    PGP_ENCRYPT_FAILED = "pgp_encrypt_failed", None, "The file could not be encrypted."
