"""The owner's admin screen (behind the owner PIN): its page, tabs, jobs and the settings it writes."""
