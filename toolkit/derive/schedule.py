"""stub"""


def plan_schedules(form, data, env):
    return iter(())


def count_schedules(form, data, env):
    return 0


plan_notices = plan_schedules
count_notices = count_schedules
