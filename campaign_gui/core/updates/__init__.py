"""Updates of the app itself, signed by the project's release keys (never a campaign's).

``release_index``: the index's format (versions, what's new, installers), checked once;
``release_publish``: the release workflow's signing of it, as TUF targets;
``update_client``: the check, through TUF, with the feed's network rules;
``installer_download``: the installer's download, verified while it streams, resumable;
``update_state``: when the app last checked, which versions it announced;
``handover``: what each platform does with the downloaded installer, on the user's click.
"""
