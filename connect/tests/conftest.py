# Fixtures of the transfer tests (a real SFTP server on loopback, GnuPG key pairs), for every test here.
from .transfer_fixtures import pgp_pairs, sftp, sftp_server_env  # noqa: F401
