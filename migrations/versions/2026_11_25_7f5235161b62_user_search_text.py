"""user search text

Revision ID: 7f5235161b62
Revises: 23c8d59e0f00
Create Date: 2026-11-25 08:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7f5235161b62'
down_revision = '23c8d59e0f00'
branch_labels = None
depends_on = None

users = sa.table("user", sa.column("id", sa.Integer), sa.column("email", sa.String),
                 sa.column("display_name", sa.String), sa.column("certificate_name", sa.String),
                 sa.column("search_text", sa.String))


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=600), nullable=False, server_default=''))
    connection = op.get_bind()
    for row in connection.execute(sa.select(users.c.id, users.c.email, users.c.display_name,
                                            users.c.certificate_name)).all():
        text = " ".join(p.casefold() for p in (row.display_name, row.certificate_name, row.email) if p)
        connection.execute(users.update().where(users.c.id == row.id).values(search_text=text))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('search_text')
