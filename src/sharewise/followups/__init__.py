"""Follow-up arrangements agreed with a decision, and multi-agency meetings (DESIGN.md capability 9; 003 case 3)."""
