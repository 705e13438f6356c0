"""Frameworks as data

Domain descriptions, good-practice criteria, who loaded a framework version and its checksum,
the criteria ticked on a rating, and the framework keys enabled for each organisation.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from maturity.frameworks import DEFAULT_FRAMEWORK_KEY, checksum, load

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The tables as they stand at this revision, so later model changes cannot break it.
framework = sa.table(
    "framework",
    sa.column("key", sa.String),
    sa.column("version", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("loaded_at", sa.DateTime),
    sa.column("checksum", sa.String),
)
organisation = sa.table("organisation", sa.column("id", sa.Integer))
organisation_framework = sa.table(
    "organisation_framework",
    sa.column("organisation_id", sa.Integer),
    sa.column("framework_key", sa.String),
)

# The file migration 0002 installed; released framework files never change.
NAO_FILE = "nao-performance-measurement.v1.json"


def upgrade():
    # SQLite cannot ALTER a column with a non-constant default onto a table: the new foreign
    # key makes batch mode rebuild the table there, which can.
    with op.batch_alter_table("framework", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("loaded_at", sa.DateTime(), server_default=sa.func.now(), nullable=False)
        )
        batch_op.add_column(sa.Column("loaded_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("checksum", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_framework_loaded_by_id_user"),
            "user",
            ["loaded_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("framework_domain", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), server_default="", nullable=False))

    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level_differs_reason", sa.Text(), server_default="", nullable=False)
        )

    op.create_table(
        "criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("descriptor_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["descriptor_id"],
            ["descriptor.id"],
            name=op.f("fk_criterion_descriptor_id_descriptor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion")),
        sa.UniqueConstraint(
            "descriptor_id", "position", name=op.f("uq_criterion_descriptor_id_position")
        ),
    )
    with op.batch_alter_table("criterion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criterion_descriptor_id"), ["descriptor_id"], unique=False
        )

    op.create_table(
        "rating_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["criterion.id"],
            name=op.f("fk_rating_criterion_criterion_id_criterion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rating_id"],
            ["rating.id"],
            name=op.f("fk_rating_criterion_rating_id_rating"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_criterion")),
        sa.UniqueConstraint(
            "rating_id", "criterion_id", name=op.f("uq_rating_criterion_rating_id_criterion_id")
        ),
    )
    with op.batch_alter_table("rating_criterion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rating_criterion_rating_id"), ["rating_id"], unique=False
        )

    op.create_table(
        "organisation_framework",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("framework_key", sa.String(length=100), nullable=False),
        sa.Column("enabled_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_framework_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_framework")),
        sa.UniqueConstraint(
            "organisation_id",
            "framework_key",
            name=op.f("uq_organisation_framework_organisation_id_framework_key"),
        ),
    )
    with op.batch_alter_table("organisation_framework", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_framework_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    bind = op.get_bind()
    # Every organisation so far has assessed against the NAO model: keep it enabled for them.
    bind.execute(
        organisation_framework.insert().from_select(
            ["organisation_id", "framework_key"],
            sa.select(organisation.c.id, sa.literal(DEFAULT_FRAMEWORK_KEY)),
        )
    )
    # Installed versions were loaded when they were created.
    bind.execute(framework.update().values(loaded_at=framework.c.created_at))
    # So that loading the same NAO content again is recognised as already loaded.
    spec = load(NAO_FILE)
    bind.execute(
        framework.update()
        .where(framework.c.key == spec.key, framework.c.version == spec.version)
        .values(checksum=checksum(spec))
    )


def downgrade():
    with op.batch_alter_table("organisation_framework", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_framework_organisation_id"))
    op.drop_table("organisation_framework")

    with op.batch_alter_table("rating_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_criterion_rating_id"))
    op.drop_table("rating_criterion")

    with op.batch_alter_table("criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_descriptor_id"))
    op.drop_table("criterion")

    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_column("level_differs_reason")

    with op.batch_alter_table("framework_domain", schema=None) as batch_op:
        batch_op.drop_column("description")

    with op.batch_alter_table("framework", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_framework_loaded_by_id_user"), type_="foreignkey")
        batch_op.drop_column("checksum")
        batch_op.drop_column("loaded_by_id")
        batch_op.drop_column("loaded_at")
    # No enum types were created by this revision, so none are left to drop.
