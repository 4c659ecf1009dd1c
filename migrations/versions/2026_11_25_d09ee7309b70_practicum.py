"""practicum: scenario and assignment versions, playthroughs, submissions, grades, scenario images

Revision ID: d09ee7309b70
Revises: f8534b1fd2dc
Create Date: 2026-11-25 07:46:22.702679

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'd09ee7309b70'
down_revision = 'f8534b1fd2dc'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
SUBMISSION_STATUS = sa.Enum('submitted', 'returned', 'accepted', name='submissionstatus', native_enum=False,
                            length=16)
IN_PROGRESS = sa.text("status = 'in_progress'")


def _item_table(name):
    """scenario and assignment: a module's item under a stable slug, pointing at its current version's hash."""
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('current_hash', sa.String(length=64), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f(f'fk_{name}_module_id_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    sa.UniqueConstraint('module_id', 'slug', name=op.f(f'uq_{name}_module_id'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_module_id'), ['module_id'], unique=False)


def upgrade():
    op.create_table('practicum_image',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_practicum_image'))
    )
    _item_table('scenario')
    _item_table('assignment')

    op.create_table('scenario_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('definition', JSON, nullable=False),
    sa.Column('html', JSON, nullable=False),
    sa.Column('images', JSON, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_scenario_version_scenario_id_scenario'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_version')),
    sa.UniqueConstraint('scenario_id', 'content_hash', name='uq_scenario_version_content_hash'),
    sa.UniqueConstraint('scenario_id', 'number', name='uq_scenario_version_number')
    )
    with op.batch_alter_table('scenario_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_version_scenario_id'), ['scenario_id'], unique=False)

    op.create_table('assignment_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('definition', JSON, nullable=False),
    sa.Column('prompt_html', JSON, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_assignment_version_assignment_id_assignment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_version')),
    sa.UniqueConstraint('assignment_id', 'content_hash', name='uq_assignment_version_content_hash'),
    sa.UniqueConstraint('assignment_id', 'number', name='uq_assignment_version_number')
    )
    with op.batch_alter_table('assignment_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_version_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('playthrough',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('path', JSON, nullable=False),
    sa.Column('steps', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('in_progress', 'finished', name='playthroughstatus', native_enum=False, length=16), nullable=False),
    sa.Column('scores', JSON, nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('ending_id', sa.String(length=80), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_playthrough_scenario_id_scenario'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_playthrough_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['scenario_version.id'], name=op.f('fk_playthrough_version_id_scenario_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playthrough'))
    )
    with op.batch_alter_table('playthrough', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_playthrough_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_playthrough_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_playthrough_version_id'), ['version_id'], unique=False)
        # One unfinished playthrough per learner and scenario.
        batch_op.create_index('uq_playthrough_in_progress', ['user_id', 'scenario_id'], unique=True,
                              sqlite_where=IN_PROGRESS, postgresql_where=IN_PROGRESS)

    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('answers', JSON, nullable=False),
    sa.Column('status', SUBMISSION_STATUS, nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_submission_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_submission_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['assignment_version.id'], name=op.f('fk_submission_version_id_assignment_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
    sa.UniqueConstraint('user_id', 'assignment_id', 'revision', name=op.f('uq_submission_user_id'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_version_id'), ['version_id'], unique=False)

    op.create_table('grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('levels', JSON, nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('decision', SUBMISSION_STATUS, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_grade_submission_id_submission'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trainer_id'], ['user.id'], name=op.f('fk_grade_trainer_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grade')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_grade_submission_id'))
    )
    with op.batch_alter_table('grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grade_trainer_id'), ['trainer_id'], unique=False)


def downgrade():
    # Dropping a table drops its indexes.
    for table in ('grade', 'submission', 'playthrough', 'assignment_version', 'scenario_version', 'assignment',
                  'scenario', 'practicum_image'):
        op.drop_table(table)
