"""The webinar models leave `members` for their own app without touching the data: this
migration only adds them to the `webinars` app's state, on the tables `members.0004` made
(the models keep `db_table = "members_webinar"`, `"members_webinarregistration"`; the co-hosts'
table follows as `members_webinar_co_hosts`). `webinars.0002` moves their content types and
`members.0005` takes them out of the members app's state."""

import core.files
import core.ids
import core.states
import django.core.validators
import django.db.models.deletion
import webinars.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('coaching', '0003_perk_kinds'),
        ('members', '0004_webinars'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Webinar',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.CharField(default=core.ids.new_public_id, editable=False, max_length=22, unique=True)),
                        ('title', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True, max_length=5000)),
                        ('start', models.DateTimeField(help_text='Stored in UTC.')),
                        ('end', models.DateTimeField(help_text='Stored in UTC.')),
                        ('capacity', models.PositiveIntegerField(help_text='Seats, 1 to 1000. Others may join the waitlist.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)])),
                        ('seats_taken', models.PositiveIntegerField(default=0, editable=False)),
                        ('audience', models.CharField(choices=[('members', 'Members with the webinars perk'), ('free', 'Free introductory: anyone with a verified account')], default='members', max_length=16)),
                        ('join_url', models.URLField(blank=True, help_text='The video-call link; registered attendees see it from 15 minutes before.', max_length=500)),
                        ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled')], default='scheduled', max_length=16)),
                        ('cancel_reason', models.CharField(blank=True, max_length=300)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('sequence', models.PositiveIntegerField(default=0, help_text='iCalendar SEQUENCE.')),
                        ('recording_file', models.FileField(blank=True, max_length=200, storage=core.files.private_storage, upload_to=webinars.models.recording_path)),
                        ('recording_url', models.URLField(blank=True, help_text='Or a link to the recording on another host.', max_length=500)),
                        ('recording_added_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('co_hosts', models.ManyToManyField(blank=True, related_name='co_hosted_webinars', to='coaching.coach')),
                        ('host', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='hosted_webinars', to='coaching.coach')),
                    ],
                    options={
                        'db_table': 'members_webinar',
                        'ordering': ['start', 'pk'],
                        'permissions': [('export_webinar_attendees', "Can export a webinar's attendees")],
                    },
                    bases=(core.states.TransitionGuardMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='WebinarRegistration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.CharField(default=core.ids.new_public_id, editable=False, max_length=22, unique=True)),
                        ('status', models.CharField(choices=[('registered', 'Registered'), ('waitlisted', 'On the waitlist'), ('cancelled', 'Cancelled')], max_length=16)),
                        ('waitlisted_at', models.DateTimeField(blank=True, null=True)),
                        ('registered_at', models.DateTimeField(blank=True, null=True)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('cancel_reason', models.CharField(blank=True, max_length=300)),
                        ('attended', models.BooleanField(blank=True, help_text='Marked by a host afterwards.', null=True)),
                        ('sequence', models.PositiveIntegerField(default=0)),
                        ('reminder_24h_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('reminder_1h_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('entitlement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='webinar_registrations', to='members.entitlement')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='webinar_registrations', to=settings.AUTH_USER_MODEL)),
                        ('webinar', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='webinars.webinar')),
                    ],
                    options={
                        'db_table': 'members_webinarregistration',
                        'ordering': ['webinar', 'status', 'created_at', 'pk'],
                    },
                    bases=(core.states.TransitionGuardMixin, models.Model),
                ),
                migrations.AddIndex(
                    model_name='webinar',
                    index=models.Index(fields=['status', 'end'], name='members_webinar_status_end'),
                ),
                migrations.AddConstraint(
                    model_name='webinar',
                    constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='members_webinar_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='webinar',
                    constraint=models.CheckConstraint(condition=models.Q(('capacity__gte', 1), ('capacity__lte', 1000)), name='members_webinar_capacity_range'),
                ),
                migrations.AddConstraint(
                    model_name='webinar',
                    constraint=models.CheckConstraint(condition=models.Q(('seats_taken__lte', models.F('capacity'))), name='members_webinar_seats_within_capacity'),
                ),
                migrations.AddIndex(
                    model_name='webinarregistration',
                    index=models.Index(fields=['member', 'status'], name='members_webreg_member_status'),
                ),
                migrations.AddIndex(
                    model_name='webinarregistration',
                    index=models.Index(fields=['webinar', 'status'], name='members_webreg_webinar_status'),
                ),
                migrations.AddConstraint(
                    model_name='webinarregistration',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['registered', 'waitlisted'])), fields=('webinar', 'member'), name='members_webinar_one_live_registration'),
                ),
                migrations.AddConstraint(
                    model_name='webinarregistration',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['registered', 'waitlisted', 'cancelled'])), name='members_webinar_registration_status_valid'),
                ),

            ],
        ),
    ]
