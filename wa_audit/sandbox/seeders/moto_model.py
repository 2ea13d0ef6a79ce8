"""Where no API can make moto show what AWS would: seeders set moto's in-process model directly.

- The past. AWS has no API to create a resource in the past, and moto stamps everything with the
  moment of the call, so "launched 400 days ago, stopped 45 days ago" is set after the resource was
  created through the API. Every read (DescribeInstances, DescribeVolumes …) then reports those times
  exactly as AWS would, ``StateTransitionReason`` included.
- Launch templates' volumes. moto gives an instance launched from a launch template (by an auto
  scaling group, say) its default 8 GiB ``/dev/sda1`` volume on top of the template's block devices;
  AWS creates the template's volumes only. :func:`drop_default_root_volume` removes moto's extra one.
"""

from __future__ import annotations

from datetime import datetime

from wa_audit.sandbox.extensions.ec2 import moto_ec2, user_initiated_reason
from wa_audit.sandbox.scenario import SeedEnv

MOTO_DEFAULT_ROOT = "/dev/sda1"


def backdate_instance(
    env: SeedEnv, region: str, instance_id: str, launched: datetime, stopped: datetime | None = None
) -> None:
    """Launched (and its volumes attached) at ``launched``; stopped by a user at ``stopped``."""
    backend = moto_ec2(env.account_id, region)
    instance = backend.get_instance(instance_id)
    instance.launch_time = launched
    for mapping in instance.block_device_mapping.values():
        mapping.attach_time = launched
        volume = backend.get_volume(mapping.volume_id)
        volume.create_time = launched
        if volume.attachment is not None:
            volume.attachment.attach_time = launched
    if stopped is not None:
        if instance.state != "stopped":
            raise ValueError(f"{instance_id} is {instance.state}: stop it before backdating")
        instance._reason = user_initiated_reason(stopped)


def backdate_volume(env: SeedEnv, region: str, volume_id: str, created: datetime) -> None:
    moto_ec2(env.account_id, region).get_volume(volume_id).create_time = created


def drop_default_root_volume(env: SeedEnv, region: str, instance_id: str) -> None:
    """Remove the volume moto added beside a launch template's own block devices."""
    backend = moto_ec2(env.account_id, region)
    instance = backend.get_instance(instance_id)
    devices = instance.block_device_mapping
    if MOTO_DEFAULT_ROOT not in devices or len(devices) < 2:
        return
    volume_id = devices[MOTO_DEFAULT_ROOT].volume_id
    backend.detach_volume(volume_id, instance_id, MOTO_DEFAULT_ROOT)
    backend.delete_volume(volume_id)
