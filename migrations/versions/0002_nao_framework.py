"""Install the NAO performance-measurement framework, version 1, from its data file

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from maturity.frameworks import load

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The tables as they stand at this revision, so later model changes cannot break it.
framework = sa.table(
    "framework",
    sa.column("id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("version", sa.Integer),
    sa.column("name", sa.String),
    sa.column("figure_title", sa.String),
    sa.column("definitions_title", sa.String),
    sa.column("source", sa.Text),
    sa.column("notes", sa.JSON),
)
level = sa.table(
    "framework_level",
    sa.column("framework_id", sa.Integer),
    sa.column("number", sa.Integer),
    sa.column("name", sa.String),
)
domain = sa.table(
    "framework_domain",
    sa.column("id", sa.Integer),
    sa.column("framework_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("key", sa.String),
    sa.column("name", sa.String),
    sa.column("colour", sa.String),
)
descriptor = sa.table(
    "descriptor",
    sa.column("domain_id", sa.Integer),
    sa.column("level_number", sa.Integer),
    sa.column("text", sa.Text),
)

# Released framework files never change, so this revision always installs the same rows.
SPEC_FILE = "nao-performance-measurement.v1.json"


def upgrade():
    spec = load(SPEC_FILE)
    bind = op.get_bind()
    framework_id = bind.execute(
        framework.insert()
        .values(
            key=spec.key,
            version=spec.version,
            name=spec.name,
            figure_title=spec.figure_title,
            definitions_title=spec.definitions_title,
            source=spec.source,
            notes=list(spec.notes),
        )
        .returning(framework.c.id)
    ).scalar_one()
    bind.execute(
        level.insert(),
        [
            {"framework_id": framework_id, "number": number, "name": name}
            for number, name in enumerate(spec.levels, start=1)
        ],
    )
    for position, spec_domain in enumerate(spec.domains, start=1):
        domain_id = bind.execute(
            domain.insert()
            .values(
                framework_id=framework_id,
                position=position,
                key=spec_domain.key,
                name=spec_domain.name,
                colour=spec_domain.colour,
            )
            .returning(domain.c.id)
        ).scalar_one()
        bind.execute(
            descriptor.insert(),
            [
                {"domain_id": domain_id, "level_number": number, "text": text}
                for number, text in enumerate(spec_domain.descriptors, start=1)
            ],
        )


def downgrade():
    spec = load(SPEC_FILE)
    bind = op.get_bind()
    framework_id = bind.execute(
        sa.select(framework.c.id).where(
            framework.c.key == spec.key, framework.c.version == spec.version
        )
    ).scalar_one()
    domain_ids = sa.select(domain.c.id).where(domain.c.framework_id == framework_id)
    bind.execute(descriptor.delete().where(descriptor.c.domain_id.in_(domain_ids)))
    bind.execute(domain.delete().where(domain.c.framework_id == framework_id))
    bind.execute(level.delete().where(level.c.framework_id == framework_id))
    bind.execute(framework.delete().where(framework.c.id == framework_id))
